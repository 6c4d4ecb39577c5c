-- As SQLite's 0020: deletions of records the server never had belong to the
-- deleter's commune, looked up and remembered there (docs/scaling.md).
ALTER TABLE deleted_visit_ids ADD COLUMN commune_id BIGINT REFERENCES communes (id);
UPDATE deleted_visit_ids d SET commune_id = u.commune_id FROM users u WHERE u.id = d.author_id;
ALTER TABLE deleted_visit_ids ALTER COLUMN commune_id SET NOT NULL;
ALTER TABLE deleted_visit_ids DROP CONSTRAINT deleted_visit_ids_pkey;
ALTER TABLE deleted_visit_ids ADD PRIMARY KEY (commune_id, id);

ALTER TABLE deleted_community_session_ids ADD COLUMN commune_id BIGINT REFERENCES communes (id);
UPDATE deleted_community_session_ids d SET commune_id = u.commune_id FROM users u WHERE u.id = d.author_id;
ALTER TABLE deleted_community_session_ids ALTER COLUMN commune_id SET NOT NULL;
ALTER TABLE deleted_community_session_ids DROP CONSTRAINT deleted_community_session_ids_pkey;
ALTER TABLE deleted_community_session_ids ADD PRIMARY KEY (commune_id, id);
