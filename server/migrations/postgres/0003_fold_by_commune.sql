-- Each commune's new visits are folded into its figures on their own, under
-- the commune's fold lock (docs/scaling.md): the queue names the commune.
-- A queue entry holds one push's visits, all of the pusher's commune.
ALTER TABLE visits_to_fold ADD COLUMN commune_id BIGINT;
UPDATE visits_to_fold q SET commune_id = (
    SELECT v.commune_id FROM visits v WHERE v.id = q.visit_ids::json->>0);
-- An entry whose visits are gone (none can be: visits are never removed) folds nothing.
DELETE FROM visits_to_fold WHERE commune_id IS NULL;
ALTER TABLE visits_to_fold ALTER COLUMN commune_id SET NOT NULL;
CREATE INDEX visits_to_fold_by_commune ON visits_to_fold (commune_id, seq);
