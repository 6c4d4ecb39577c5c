-- The revision at which an erasure of a household's personal data blanked a visit's note and
-- follow-up reason (docs/api.md): an edit made from an earlier version brings no text back, and a
-- phone holding such an edit drops its text when it pulls the blank version. Visits an earlier
-- build blanked (their household erased, no text left) are marked at their revision now.
ALTER TABLE visits ADD COLUMN text_erased_revision INTEGER;
UPDATE visits SET text_erased_revision = revision
WHERE note = '' AND COALESCE(follow_up_reason, '') = ''
  AND household_id IN (SELECT id FROM households WHERE erased_at IS NOT NULL);
