-- One-time invite codes a leader gives a new volunteer (or a coordinator a new
-- leader). Only a SHA-256 of the code is kept, like session tokens.
CREATE TABLE invites (
    id           INTEGER PRIMARY KEY,
    code_hash    BLOB NOT NULL UNIQUE,
    commune_id   INTEGER NOT NULL REFERENCES communes (id),
    team_id      INTEGER NOT NULL REFERENCES teams (id),
    role         TEXT NOT NULL CHECK (role IN ('volunteer', 'leader')),
    created_by   INTEGER NOT NULL REFERENCES users (id),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    used_at      TEXT,
    used_by      INTEGER REFERENCES users (id),
    cancelled_at TEXT
);
CREATE INDEX invites_by_team ON invites (team_id, expires_at);
