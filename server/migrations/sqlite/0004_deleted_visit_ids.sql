-- Deletions of visits the server never had: remembered, so a delayed push of
-- such a visit is answered "duplicate" and does not bring it back.
CREATE TABLE deleted_visit_ids (
    id         TEXT PRIMARY KEY,
    author_id  INTEGER NOT NULL REFERENCES users (id),
    deleted_at TEXT NOT NULL
);
