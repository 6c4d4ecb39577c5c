-- Provinces and centrally-run cities (tỉnh / thành phố) above their communes,
-- and the accounts of their Department of Science and Technology, which read
-- the province's figures and never a household.
CREATE TABLE provinces (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- A commune not yet placed in a province has none.
ALTER TABLE communes ADD COLUMN province_id INTEGER REFERENCES provinces (id);
CREATE INDEX communes_by_province ON communes (province_id);

-- A province account belongs to a province and no commune. SQLite cannot
-- change a column's constraints in place, so `users` is rebuilt by SQLite's
-- own procedure (a new table, the rows copied, the old one dropped, the new
-- one renamed): migrations run with foreign keys off, and the server checks
-- every reference once they have run (db/sqlite/mod.rs).
CREATE TABLE users_new (
    id            INTEGER PRIMARY KEY,
    commune_id    INTEGER REFERENCES communes (id),
    province_id   INTEGER REFERENCES provinces (id),
    team_id       INTEGER REFERENCES teams (id),
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('volunteer', 'leader', 'coordinator', 'province')),
    -- argon2id, in PHC string form (algorithm and parameters included).
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    -- A commune's people have a commune; a province's staff a province instead.
    CHECK ((role = 'province') = (commune_id IS NULL)),
    CHECK ((commune_id IS NULL) = (province_id IS NOT NULL))
);
INSERT INTO users_new (id, commune_id, team_id, username, display_name, role, password_hash, active, created_at)
    SELECT id, commune_id, team_id, username, display_name, role, password_hash, active, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

-- A province invites the coordinators of its communes: an invite to the
-- commune's coordination has no team. Rebuilt as `users` above.
CREATE TABLE invites_new (
    id           INTEGER PRIMARY KEY,
    code_hash    BLOB NOT NULL UNIQUE,
    commune_id   INTEGER NOT NULL REFERENCES communes (id),
    team_id      INTEGER REFERENCES teams (id),
    role         TEXT NOT NULL CHECK (role IN ('volunteer', 'leader', 'coordinator')),
    created_by   INTEGER NOT NULL REFERENCES users (id),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    used_at      TEXT,
    used_by      INTEGER REFERENCES users (id),
    cancelled_at TEXT,
    CHECK ((role = 'coordinator') = (team_id IS NULL))
);
INSERT INTO invites_new SELECT id, code_hash, commune_id, team_id, role, created_by, created_at, expires_at,
    used_at, used_by, cancelled_at FROM invites;
DROP TABLE invites;
ALTER TABLE invites_new RENAME TO invites;
CREATE INDEX invites_by_team ON invites (team_id, expires_at);
CREATE INDEX invites_by_commune ON invites (commune_id, expires_at);
