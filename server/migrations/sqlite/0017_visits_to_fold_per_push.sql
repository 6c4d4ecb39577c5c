-- The queue of visits to fold (migration 0016) holds one row per push — the
-- ids of its new visits as a JSON array — instead of one row per visit: a
-- push of 200 visits wrote 200 rows here and the fold deleted them one by
-- one (docs/benchmarks.md, sync throughput). Seqs and the sequence are
-- kept (AUTOINCREMENT: a seq is never reused, even one already folded).
CREATE TABLE visits_to_fold_new (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    -- A JSON array of visit ids.
    visit_ids TEXT NOT NULL
);
INSERT INTO visits_to_fold_new (seq, visit_ids)
SELECT seq, json_array(visit_id) FROM visits_to_fold ORDER BY seq;
DELETE FROM sqlite_sequence WHERE name = 'visits_to_fold_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'visits_to_fold_new', seq FROM sqlite_sequence WHERE name = 'visits_to_fold';
DROP TABLE visits_to_fold;
ALTER TABLE visits_to_fold_new RENAME TO visits_to_fold;
