-- Deletions of records the server never had belong to the deleter's commune,
-- as every record does (docs/scaling.md): each is looked up and remembered
-- in that commune, and another commune's deletion can never stand in for a
-- record of ours. SQLite cannot change a primary key: the tables are rebuilt.
CREATE TABLE deleted_visit_ids_by_commune (
    commune_id INTEGER NOT NULL REFERENCES communes (id),
    id         TEXT NOT NULL,
    author_id  INTEGER NOT NULL REFERENCES users (id),
    deleted_at TEXT NOT NULL,
    PRIMARY KEY (commune_id, id)
);
INSERT INTO deleted_visit_ids_by_commune (commune_id, id, author_id, deleted_at)
    SELECT u.commune_id, d.id, d.author_id, d.deleted_at FROM deleted_visit_ids d JOIN users u ON u.id = d.author_id;
DROP TABLE deleted_visit_ids;
ALTER TABLE deleted_visit_ids_by_commune RENAME TO deleted_visit_ids;

CREATE TABLE deleted_community_session_ids_by_commune (
    commune_id INTEGER NOT NULL REFERENCES communes (id),
    id         TEXT NOT NULL,
    author_id  INTEGER NOT NULL REFERENCES users (id),
    deleted_at TEXT NOT NULL,
    PRIMARY KEY (commune_id, id)
);
INSERT INTO deleted_community_session_ids_by_commune (commune_id, id, author_id, deleted_at)
    SELECT u.commune_id, d.id, d.author_id, d.deleted_at
    FROM deleted_community_session_ids d JOIN users u ON u.id = d.author_id;
DROP TABLE deleted_community_session_ids;
ALTER TABLE deleted_community_session_ids_by_commune RENAME TO deleted_community_session_ids;
