-- Gõ Cửa's first schema: the commune's places and people, sessions, visits.
-- Instants are UTC, stored as RFC 3339 text (sqlx's chrono encoding).

CREATE TABLE communes (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE villages (
    id         INTEGER PRIMARY KEY,
    commune_id INTEGER NOT NULL REFERENCES communes (id),
    name       TEXT NOT NULL,
    -- Households in the village, set by the coordinator: the denominator of coverage.
    households INTEGER NOT NULL DEFAULT 0 CHECK (households >= 0),
    UNIQUE (commune_id, name)
);

CREATE TABLE teams (
    id         INTEGER PRIMARY KEY,
    commune_id INTEGER NOT NULL REFERENCES communes (id),
    name       TEXT NOT NULL,
    UNIQUE (commune_id, name)
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    commune_id    INTEGER NOT NULL REFERENCES communes (id),
    team_id       INTEGER REFERENCES teams (id),
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('volunteer', 'leader', 'coordinator')),
    -- argon2id, in PHC string form (algorithm and parameters included).
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
);

-- Only a SHA-256 of each bearer token is kept: a leaked database signs nobody in.
CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE visits (
    -- The phone's UUID: pushing the same visit twice finds this row.
    id          TEXT PRIMARY KEY,
    author_id   INTEGER NOT NULL REFERENCES users (id),
    commune_id  INTEGER NOT NULL REFERENCES communes (id),
    team_id     INTEGER REFERENCES teams (id),
    village_id  INTEGER NOT NULL REFERENCES villages (id),
    head_name   TEXT NOT NULL,
    address     TEXT NOT NULL,
    officials   INTEGER NOT NULL,
    pupils      INTEGER NOT NULL,
    adults      INTEGER NOT NULL,
    elderly     INTEGER NOT NULL,
    workers     INTEGER NOT NULL,
    -- JSON array of catalogue codes, sorted.
    skills      TEXT NOT NULL,
    note        TEXT NOT NULL,
    visited_at  TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX visits_by_author ON visits (author_id, visited_at);
CREATE INDEX visits_by_team ON visits (team_id, visited_at);
CREATE INDEX visits_by_commune ON visits (commune_id, visited_at);
