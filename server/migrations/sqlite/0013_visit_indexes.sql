-- The visit log is exported oldest first, ties broken by id: with the id in
-- the commune's index, an export streams straight off it instead of sorting
-- every visit of the same instant first (docs/benchmarks.md, exports).
DROP INDEX visits_by_commune;
CREATE INDEX visits_by_commune ON visits (commune_id, visited_at, id);
-- Households of a period are counted from household_months' day bits now
-- (0012), no longer from the visits: this index only slowed every insert.
DROP INDEX visits_reached;
