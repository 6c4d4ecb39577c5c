-- A household's team's visits — how many, and the last — are read for every
-- household a pull page carries. With deleted visits left out of the index
-- and the team in it, both come from the index alone, however many times a
-- door was knocked (docs/benchmarks.md, sync throughput).
CREATE INDEX visits_live_by_household ON visits (household_id, team_id, visited_at) WHERE deleted_at IS NULL;
