-- As SQLite's 0028: beside the device that wrote a record's revision, the revision its run of
-- its own edits began from; 0 for rows written before it was recorded.
ALTER TABLE households ADD COLUMN written_from BIGINT NOT NULL DEFAULT 0;
ALTER TABLE visits ADD COLUMN written_from BIGINT NOT NULL DEFAULT 0;
ALTER TABLE community_sessions ADD COLUMN written_from BIGINT NOT NULL DEFAULT 0;
