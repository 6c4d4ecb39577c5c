-- Households become records of their own, shared by the team; visits refer to
-- them and record their outcome, skills guided/completed and follow-ups; every
-- write is appended to a change log that phones pull from.

CREATE TABLE households (
    -- The UUID of the phone that first recorded the household.
    id          TEXT PRIMARY KEY,
    commune_id  INTEGER NOT NULL REFERENCES communes (id),
    team_id     INTEGER REFERENCES teams (id),
    village_id  INTEGER NOT NULL REFERENCES villages (id),
    head_name   TEXT NOT NULL,
    address     TEXT NOT NULL,
    phone       TEXT,
    members     INTEGER,
    revision    INTEGER NOT NULL,
    created_by  INTEGER NOT NULL REFERENCES users (id),
    updated_at  TEXT NOT NULL
);
CREATE INDEX households_by_team ON households (team_id);
CREATE INDEX households_by_commune ON households (commune_id);

-- A version-1 visit carried its household: each becomes a household of its own, under the visit's id.
INSERT INTO households (id, commune_id, team_id, village_id, head_name, address, phone, members, revision, created_by, updated_at)
SELECT id, commune_id, team_id, village_id, head_name, address, NULL, NULL, 1, author_id, received_at FROM visits;

CREATE TABLE visits_v2 (
    id               TEXT PRIMARY KEY,
    author_id        INTEGER NOT NULL REFERENCES users (id),
    commune_id       INTEGER NOT NULL REFERENCES communes (id),
    team_id          INTEGER REFERENCES teams (id),
    household_id     TEXT NOT NULL REFERENCES households (id),
    outcome          TEXT NOT NULL CHECK (outcome IN ('guided', 'nobody_home', 'declined', 'come_back')),
    come_back_on     TEXT,
    officials        INTEGER NOT NULL,
    pupils           INTEGER NOT NULL,
    adults           INTEGER NOT NULL,
    elderly          INTEGER NOT NULL,
    workers          INTEGER NOT NULL,
    -- JSON array of {"code", "completed"}, sorted by code.
    skills           TEXT NOT NULL,
    note             TEXT NOT NULL,
    visited_at       TEXT NOT NULL,
    follow_up_on     TEXT,
    follow_up_reason TEXT,
    revision         INTEGER NOT NULL,
    received_at      TEXT NOT NULL,
    -- Set when the author deleted the visit; the row stays as a tombstone.
    deleted_at       TEXT
);
INSERT INTO visits_v2
SELECT id, author_id, commune_id, team_id, id, 'guided', NULL, officials, pupils, adults, elderly, workers,
       (SELECT json_group_array(json_object('code', value, 'completed', json('false'))) FROM json_each(visits.skills)),
       note, visited_at, NULL, NULL, 1, received_at, NULL
FROM visits;
DROP TABLE visits;
ALTER TABLE visits_v2 RENAME TO visits;
CREATE INDEX visits_by_author ON visits (author_id, visited_at);
CREATE INDEX visits_by_team ON visits (team_id, visited_at);
CREATE INDEX visits_by_commune ON visits (commune_id, visited_at);
CREATE INDEX visits_by_household ON visits (household_id, visited_at);

-- The change log phones pull from: one row per applied write, in commit order.
-- SQLite has one writer at a time, so sequence numbers commit in order and a
-- pull never skips a change committed while it ran.
CREATE TABLE changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id INTEGER NOT NULL,
    team_id    INTEGER,
    author_id  INTEGER,
    kind       TEXT NOT NULL CHECK (kind IN ('household', 'visit')),
    record_id  TEXT NOT NULL
);
INSERT INTO changes (commune_id, team_id, author_id, kind, record_id)
SELECT commune_id, team_id, created_by, 'household', id FROM households ORDER BY updated_at;
INSERT INTO changes (commune_id, team_id, author_id, kind, record_id)
SELECT commune_id, team_id, author_id, 'visit', id FROM visits ORDER BY received_at;
