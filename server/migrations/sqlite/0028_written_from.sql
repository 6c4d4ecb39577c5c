-- Beside the device that wrote a record's revision, the revision that device's run of its own
-- edits began from (docs/sync-protocol.md, "Revisions"): a later push of that device is taken as
-- the continuation of its run only if it was edited from that revision or a later one, so an edit
-- made before someone else's version (a coordinator's correction) is a conflict. Rows written
-- before it was recorded say 0, as the rule was before.
ALTER TABLE households ADD COLUMN written_from INTEGER NOT NULL DEFAULT 0;
ALTER TABLE visits ADD COLUMN written_from INTEGER NOT NULL DEFAULT 0;
ALTER TABLE community_sessions ADD COLUMN written_from INTEGER NOT NULL DEFAULT 0;
