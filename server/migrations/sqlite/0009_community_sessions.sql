-- Community learning sessions ("buổi học cộng đồng"): one place, one date,
-- many attendees. Counted apart from household visits; synced like them.
CREATE TABLE community_sessions (
    -- The phone's UUID: pushing the same session twice finds this row.
    id          TEXT PRIMARY KEY,
    author_id   INTEGER NOT NULL REFERENCES users (id),
    commune_id  INTEGER NOT NULL REFERENCES communes (id),
    -- The organising team: the author's when it was stored.
    team_id     INTEGER REFERENCES teams (id),
    village_id  INTEGER NOT NULL REFERENCES villages (id),
    place       TEXT NOT NULL,
    -- A local (Vietnam) date, YYYY-MM-DD.
    held_on     TEXT NOT NULL,
    -- JSON array of catalogue codes, sorted.
    skills      TEXT NOT NULL,
    officials   INTEGER NOT NULL,
    pupils      INTEGER NOT NULL,
    adults      INTEGER NOT NULL,
    elderly     INTEGER NOT NULL,
    workers     INTEGER NOT NULL,
    note        TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    -- Set when its author deleted it: kept as a tombstone, so a late replay does not bring it back.
    deleted_at  TEXT
);
CREATE INDEX community_sessions_by_commune ON community_sessions (commune_id, held_on);
CREATE INDEX community_sessions_by_team ON community_sessions (team_id, held_on);

-- Deletions of sessions the server never had (as deleted_visit_ids for visits).
CREATE TABLE deleted_community_session_ids (
    id         TEXT PRIMARY KEY,
    author_id  INTEGER NOT NULL REFERENCES users (id),
    deleted_at TEXT NOT NULL
);

-- The change log learns a third kind. SQLite cannot alter a CHECK, so the
-- table is rebuilt with its sequence numbers (the phones' cursors) kept.
CREATE TABLE changes_new (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id INTEGER NOT NULL,
    team_id    INTEGER,
    author_id  INTEGER,
    kind       TEXT NOT NULL CHECK (kind IN ('household', 'visit', 'community_session')),
    record_id  TEXT NOT NULL
);
INSERT INTO changes_new (seq, commune_id, team_id, author_id, kind, record_id)
SELECT seq, commune_id, team_id, author_id, kind, record_id FROM changes ORDER BY seq;
DROP TABLE changes;
ALTER TABLE changes_new RENAME TO changes;
