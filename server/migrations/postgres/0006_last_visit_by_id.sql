-- As SQLite's 0022: a household's last visit (latest, ties by the greater id
-- in byte order) is the index's first entry, and the count of its live
-- visits reads the index alone; the commune leads, as every read names it.
DROP INDEX visits_live_by_household;
CREATE INDEX visits_live_by_household
    ON visits (commune_id, household_id, team_id, visited_at, id COLLATE "C") WHERE deleted_at IS NULL;
