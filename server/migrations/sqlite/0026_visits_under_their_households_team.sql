-- Visits are kept under their household's team since 2026-12-07; an earlier version kept them
-- under their author's. A visit it kept under another team than its household's moves to the
-- household's: logged under both teams (the old team's pulls then send it as deleted, so its
-- phones drop their copy; the household's team's pulls send it), its household sent again (the
-- household's visits now count it), and the kept figures rebuilt from the visits at start.
INSERT INTO changes (commune_id, team_id, author_id, kind, record_id)
SELECT v.commune_id, v.team_id, v.author_id, 'visit', v.id
FROM visits v JOIN households h ON h.commune_id = v.commune_id AND h.id = v.household_id
WHERE v.deleted_at IS NULL AND v.team_id IS NOT h.team_id;
INSERT INTO changes (commune_id, team_id, author_id, kind, record_id)
SELECT v.commune_id, h.team_id, v.author_id, 'visit', v.id
FROM visits v JOIN households h ON h.commune_id = v.commune_id AND h.id = v.household_id
WHERE v.deleted_at IS NULL AND v.team_id IS NOT h.team_id;
INSERT INTO changes (commune_id, team_id, author_id, kind, record_id)
SELECT DISTINCT h.commune_id, h.team_id, h.created_by, 'household', h.id
FROM visits v JOIN households h ON h.commune_id = v.commune_id AND h.id = v.household_id
WHERE v.deleted_at IS NULL AND v.team_id IS NOT h.team_id;
UPDATE aggregates SET built = 0
WHERE EXISTS (SELECT 1 FROM visits v JOIN households h ON h.commune_id = v.commune_id AND h.id = v.household_id WHERE v.team_id IS NOT h.team_id);
UPDATE visits SET team_id = (SELECT h.team_id FROM households h WHERE h.id = visits.household_id)
WHERE team_id IS NOT (SELECT h.team_id FROM households h WHERE h.id = visits.household_id);
