-- As SQLite's 0026: a visit an earlier version kept under its author's team, not its household's,
-- moves to the household's team, logged under both, its household sent again, and the kept figures
-- rebuilt from the visits at start. Joined on the commune too, so on a deployment distributed by
-- commune each join stays on one node. It writes the change log under every commune's write lock
-- (the server's `Lock::Commune`), so the log commits in the order of its numbers.
SELECT pg_advisory_xact_lock((1::bigint << 40) | id) FROM communes ORDER BY id;
INSERT INTO changes (commune_id, team_id, author_id, kind, record_id)
SELECT v.commune_id, v.team_id, v.author_id, 'visit', v.id
FROM visits v JOIN households h ON h.commune_id = v.commune_id AND h.id = v.household_id
WHERE v.deleted_at IS NULL AND v.team_id IS DISTINCT FROM h.team_id;
INSERT INTO changes (commune_id, team_id, author_id, kind, record_id)
SELECT v.commune_id, h.team_id, v.author_id, 'visit', v.id
FROM visits v JOIN households h ON h.commune_id = v.commune_id AND h.id = v.household_id
WHERE v.deleted_at IS NULL AND v.team_id IS DISTINCT FROM h.team_id;
INSERT INTO changes (commune_id, team_id, author_id, kind, record_id)
SELECT DISTINCT h.commune_id, h.team_id, h.created_by, 'household', h.id
FROM visits v JOIN households h ON h.commune_id = v.commune_id AND h.id = v.household_id
WHERE v.deleted_at IS NULL AND v.team_id IS DISTINCT FROM h.team_id;
UPDATE aggregates SET built = FALSE
WHERE EXISTS (SELECT 1 FROM visits v JOIN households h ON h.commune_id = v.commune_id AND h.id = v.household_id
              WHERE v.team_id IS DISTINCT FROM h.team_id);
UPDATE visits v SET team_id = h.team_id
FROM households h
WHERE h.commune_id = v.commune_id AND h.id = v.household_id AND v.team_id IS DISTINCT FROM h.team_id;
