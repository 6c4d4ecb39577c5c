-- Which sign-in (device) wrote each record's current revision, so a phone
-- whose answer was lost, and that edited the record again, is recognised as
-- following its own version and not taken for a conflicting edit
-- (docs/sync-protocol.md, "Revisions"). NULL: written on the server (a
-- coordinator's correction or erasure), or before this was recorded.
ALTER TABLE households ADD COLUMN written_by_session INTEGER;
ALTER TABLE visits ADD COLUMN written_by_session INTEGER;
ALTER TABLE community_sessions ADD COLUMN written_by_session INTEGER;
