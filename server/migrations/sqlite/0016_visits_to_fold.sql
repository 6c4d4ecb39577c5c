-- New visits wait here, committed in the push that stored them, until they
-- are folded into the dashboard's kept figures (migration 0010): by a task
-- soon after the push, or first by anything that reads or otherwise changes
-- those figures. A push then writes one row per new visit here instead of
-- folding it while the phone waits, and no reader ever sees figures behind
-- the visits (server/src/db/sqlite/aggregates.rs, docs/benchmarks.md).
-- No foreign key: a queued visit is never deleted before it is folded.
-- AUTOINCREMENT: a seq is never reused, so a fold prepared outside the
-- write lock knows, under it, whether what it read is still all queued.
CREATE TABLE visits_to_fold (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    visit_id TEXT NOT NULL
);
