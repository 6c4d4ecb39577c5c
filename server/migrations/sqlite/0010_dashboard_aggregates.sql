-- Figures kept up to date in the transaction of every visit write, so a
-- dashboard reads a few thousand rows instead of every visit ever made
-- (docs/benchmarks.md). Filled from the visits by the server at start
-- while `aggregates_built` is 0 (the basic-skill mapping lives in code).

-- Per Vietnam day, team (0: none), author and village: doors and people.
CREATE TABLE visit_days (
    commune_id INTEGER NOT NULL,
    day        TEXT NOT NULL,
    team_id    INTEGER NOT NULL,
    author_id  INTEGER NOT NULL,
    village_id INTEGER NOT NULL,
    doors      INTEGER NOT NULL,
    officials  INTEGER NOT NULL,
    pupils     INTEGER NOT NULL,
    adults     INTEGER NOT NULL,
    elderly    INTEGER NOT NULL,
    workers    INTEGER NOT NULL,
    PRIMARY KEY (commune_id, day, team_id, author_id, village_id)
) WITHOUT ROWID;

-- Per Vietnam day, team (0: none) and skill: visits where it was guided, and completed.
CREATE TABLE skill_days (
    commune_id INTEGER NOT NULL,
    day        TEXT NOT NULL,
    team_id    INTEGER NOT NULL,
    code       TEXT NOT NULL,
    guided     INTEGER NOT NULL,
    completed  INTEGER NOT NULL,
    PRIMARY KEY (commune_id, day, team_id, code)
) WITHOUT ROWID;

-- Per household (with its village), for the visits of one team (scope_team
-- = its id) and of the whole commune (scope_team = 0): the first visit, when the five basic
-- skills were all completed, and (commune rows) the latest visit and the
-- return it asked for.
CREATE TABLE household_progress (
    household_id   TEXT NOT NULL,
    scope_team     INTEGER NOT NULL,
    commune_id     INTEGER NOT NULL,
    village_id     INTEGER NOT NULL,
    first_visit_at TEXT NOT NULL,
    -- When each basic skill (by its place in the mapping) was first
    -- completed; the target is reached at the latest of the five.
    basic0_at      TEXT,
    basic1_at      TEXT,
    basic2_at      TEXT,
    basic3_at      TEXT,
    basic4_at      TEXT,
    target_at      TEXT,
    last_visit_id  TEXT,
    last_visit_at  TEXT,
    -- Of the latest visit: the return it asked for, why, who made it and for which team.
    due_on         TEXT,
    reason         TEXT,
    owner_id       INTEGER,
    owner_team     INTEGER,
    PRIMARY KEY (household_id, scope_team)
) WITHOUT ROWID;
CREATE INDEX household_progress_by_scope
    ON household_progress (commune_id, scope_team, village_id, first_visit_at, target_at);
CREATE INDEX household_progress_by_due_day ON household_progress (commune_id, due_on) WHERE due_on IS NOT NULL;

-- Per household, team (0: the whole commune) and year: the months (bit 0 =
-- January, in Vietnam's time) it was visited in, and guided in. Different
-- households of whole months are counted from these rows, not from visits.
CREATE TABLE household_months (
    household_id  TEXT NOT NULL,
    scope_team    INTEGER NOT NULL,
    commune_id    INTEGER NOT NULL,
    year          INTEGER NOT NULL,
    months        INTEGER NOT NULL,
    guided_months INTEGER NOT NULL,
    PRIMARY KEY (household_id, scope_team, year)
) WITHOUT ROWID;
CREATE INDEX household_months_by_scope ON household_months (commune_id, scope_team, year, months, guided_months);

-- The days of a period outside whole months: different households counted from this index alone.
CREATE INDEX visits_reached ON visits (commune_id, visited_at, team_id, household_id, outcome)
    WHERE deleted_at IS NULL;

CREATE TABLE aggregates (built INTEGER NOT NULL);
INSERT INTO aggregates (built) VALUES (0);
