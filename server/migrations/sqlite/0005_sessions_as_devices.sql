-- Sessions become devices a user (or their leader) can see and revoke: each
-- gets a public id, the device it was opened on and when it was last used.
-- A revoked session is kept, so the phone is told why it was turned away.
CREATE TABLE sessions_v2 (
    id           INTEGER PRIMARY KEY,
    token_hash   BLOB NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    -- A short description of the browser and system ("Chrome · Android"), for people to recognise the phone.
    device       TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    last_used_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    revoked_at   TEXT,
    revoked_by   INTEGER REFERENCES users (id)
);
INSERT INTO sessions_v2 (token_hash, user_id, created_at, last_used_at, expires_at)
SELECT token_hash, user_id, created_at, created_at, expires_at FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_v2 RENAME TO sessions;
CREATE INDEX sessions_by_user ON sessions (user_id);
