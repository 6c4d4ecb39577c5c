-- The days each household was visited (and guided), beside its months, so
-- a dashboard counts the households of any period inside a year from one
-- row per household, without reading visits; and the rows kept in the
-- order a dashboard reads them (commune, team, year). Two months to a
-- column, 31 bits each: January's days are bits 0-30 of days_0, February's
-- bits 31-61, March's bits 0-30 of days_1, and so on.
-- The server rebuilds every kept figure at its next start (aggregates.built = 0).
DROP TABLE household_months;
CREATE TABLE household_months (
    commune_id    INTEGER NOT NULL,
    scope_team    INTEGER NOT NULL,
    year          INTEGER NOT NULL,
    household_id  TEXT NOT NULL,
    months        INTEGER NOT NULL,
    guided_months INTEGER NOT NULL,
    days_0        INTEGER NOT NULL,
    days_1        INTEGER NOT NULL,
    days_2        INTEGER NOT NULL,
    days_3        INTEGER NOT NULL,
    days_4        INTEGER NOT NULL,
    days_5        INTEGER NOT NULL,
    guided_days_0 INTEGER NOT NULL,
    guided_days_1 INTEGER NOT NULL,
    guided_days_2 INTEGER NOT NULL,
    guided_days_3 INTEGER NOT NULL,
    guided_days_4 INTEGER NOT NULL,
    guided_days_5 INTEGER NOT NULL,
    PRIMARY KEY (commune_id, scope_team, year, household_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX household_months_by_household ON household_months (household_id, scope_team, year);
UPDATE aggregates SET built = 0;
