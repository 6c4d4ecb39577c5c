-- As SQLite's 0019: a pull reads one commune's changes after a cursor, and
-- checks the cursor against the commune's newest change.
CREATE INDEX changes_by_commune ON changes (commune_id, seq);
