-- As SQLite's 0027: the revision at which an erasure of a household's personal data blanked a
-- visit's note and follow-up reason; visits an earlier build blanked are marked at their revision
-- now. Joined on the commune too, so on a deployment distributed by commune the join stays on one node.
ALTER TABLE visits ADD COLUMN text_erased_revision BIGINT;
UPDATE visits v SET text_erased_revision = v.revision
FROM households h
WHERE h.commune_id = v.commune_id AND h.id = v.household_id AND h.erased_at IS NOT NULL
  AND v.note = '' AND COALESCE(v.follow_up_reason, '') = '';
