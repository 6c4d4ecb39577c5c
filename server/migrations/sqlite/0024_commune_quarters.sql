-- A commune's figures per quarter, for the level above the commune (issue 15):
-- the province's view and consolidated report read a few rows a commune here
-- instead of its day-by-day figures (a province of 100 communes and
-- 10,000,000 visits has about a million rows of those a quarter).
-- Kept by triggers on the commune's kept figures, in the same transaction as
-- every change of those — a push's fold, an edit, a void, a household's
-- recount — so they cannot drift from them. While every kept figure is being
-- rebuilt (`aggregates.built` = 0) the triggers stand aside, and the rebuild
-- fills these tables from the rebuilt figures at its end.
--
-- `quarter` is year * 4 + the quarter's index (0: January to March), of the
-- day in Vietnam's time (UTC+7, no daylight saving). Keys of the kept figures
-- are never updated, but a trigger for that case keeps these right anyway.
CREATE TABLE commune_quarters (
    commune_id         INTEGER NOT NULL REFERENCES communes (id),
    quarter            INTEGER NOT NULL,
    -- Sums of the quarter's visits, as visit_days.
    doors              INTEGER NOT NULL DEFAULT 0,
    officials          INTEGER NOT NULL DEFAULT 0,
    pupils             INTEGER NOT NULL DEFAULT 0,
    adults             INTEGER NOT NULL DEFAULT 0,
    elderly            INTEGER NOT NULL DEFAULT 0,
    workers            INTEGER NOT NULL DEFAULT 0,
    -- Different households visited, and guided, in the quarter (household_months).
    households_reached INTEGER NOT NULL DEFAULT 0,
    households_guided  INTEGER NOT NULL DEFAULT 0,
    -- Households first visited in the quarter, and that reached the national
    -- target in it (household_progress); summed up to a quarter: those reached,
    -- and at the target, by its end.
    first_reached      INTEGER NOT NULL DEFAULT 0,
    reached_target     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (commune_id, quarter)
) WITHOUT ROWID;

-- Per quarter and skill: visits where it was guided, and completed (skill_days without teams).
CREATE TABLE commune_quarter_skills (
    commune_id INTEGER NOT NULL REFERENCES communes (id),
    quarter    INTEGER NOT NULL,
    code       TEXT NOT NULL,
    guided     INTEGER NOT NULL DEFAULT 0,
    completed  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (commune_id, quarter, code)
) WITHOUT ROWID;

-- Doors knocked per day and volunteer (visit_days without teams and villages): who was active lately.
CREATE TABLE commune_author_days (
    commune_id INTEGER NOT NULL REFERENCES communes (id),
    day        TEXT NOT NULL,
    author_id  INTEGER NOT NULL,
    doors      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (commune_id, day, author_id)
) WITHOUT ROWID;

CREATE TRIGGER commune_quarters_visit_days_insert AFTER INSERT ON visit_days
WHEN (SELECT built FROM aggregates) = 1 BEGIN
    INSERT INTO commune_quarters (commune_id, quarter, doors, officials, pupils, adults, elderly, workers)
    VALUES (NEW.commune_id, (CAST(substr(NEW.day, 1, 4) AS INTEGER) * 4 + (CAST(substr(NEW.day, 6, 2) AS INTEGER) - 1) / 3), NEW.doors, NEW.officials, NEW.pupils, NEW.adults, NEW.elderly, NEW.workers)
    ON CONFLICT (commune_id, quarter) DO UPDATE SET doors = doors + excluded.doors, officials = officials + excluded.officials, pupils = pupils + excluded.pupils, adults = adults + excluded.adults, elderly = elderly + excluded.elderly, workers = workers + excluded.workers;
    INSERT INTO commune_author_days (commune_id, day, author_id, doors)
    VALUES (NEW.commune_id, NEW.day, NEW.author_id, NEW.doors)
    ON CONFLICT (commune_id, day, author_id) DO UPDATE SET doors = doors + excluded.doors;
END;

CREATE TRIGGER commune_quarters_visit_days_delete AFTER DELETE ON visit_days
WHEN (SELECT built FROM aggregates) = 1 BEGIN
    INSERT INTO commune_quarters (commune_id, quarter, doors, officials, pupils, adults, elderly, workers)
    VALUES (OLD.commune_id, (CAST(substr(OLD.day, 1, 4) AS INTEGER) * 4 + (CAST(substr(OLD.day, 6, 2) AS INTEGER) - 1) / 3), -OLD.doors, -OLD.officials, -OLD.pupils, -OLD.adults, -OLD.elderly, -OLD.workers)
    ON CONFLICT (commune_id, quarter) DO UPDATE SET doors = doors + excluded.doors, officials = officials + excluded.officials, pupils = pupils + excluded.pupils, adults = adults + excluded.adults, elderly = elderly + excluded.elderly, workers = workers + excluded.workers;
    INSERT INTO commune_author_days (commune_id, day, author_id, doors)
    VALUES (OLD.commune_id, OLD.day, OLD.author_id, -OLD.doors)
    ON CONFLICT (commune_id, day, author_id) DO UPDATE SET doors = doors + excluded.doors;
END;

CREATE TRIGGER commune_quarters_visit_days_add AFTER UPDATE ON visit_days
WHEN (SELECT built FROM aggregates) = 1 AND OLD.commune_id = NEW.commune_id AND OLD.day = NEW.day AND OLD.author_id = NEW.author_id BEGIN
    INSERT INTO commune_quarters (commune_id, quarter, doors, officials, pupils, adults, elderly, workers)
    VALUES (NEW.commune_id, (CAST(substr(NEW.day, 1, 4) AS INTEGER) * 4 + (CAST(substr(NEW.day, 6, 2) AS INTEGER) - 1) / 3), NEW.doors - OLD.doors, NEW.officials - OLD.officials, NEW.pupils - OLD.pupils, NEW.adults - OLD.adults, NEW.elderly - OLD.elderly, NEW.workers - OLD.workers)
    ON CONFLICT (commune_id, quarter) DO UPDATE SET doors = doors + excluded.doors, officials = officials + excluded.officials, pupils = pupils + excluded.pupils, adults = adults + excluded.adults, elderly = elderly + excluded.elderly, workers = workers + excluded.workers;
    INSERT INTO commune_author_days (commune_id, day, author_id, doors)
    VALUES (NEW.commune_id, NEW.day, NEW.author_id, NEW.doors - OLD.doors)
    ON CONFLICT (commune_id, day, author_id) DO UPDATE SET doors = doors + excluded.doors;
END;

CREATE TRIGGER commune_quarters_visit_days_move AFTER UPDATE ON visit_days
WHEN (SELECT built FROM aggregates) = 1 AND NOT (OLD.commune_id = NEW.commune_id AND OLD.day = NEW.day AND OLD.author_id = NEW.author_id) BEGIN
    INSERT INTO commune_quarters (commune_id, quarter, doors, officials, pupils, adults, elderly, workers)
    VALUES (OLD.commune_id, (CAST(substr(OLD.day, 1, 4) AS INTEGER) * 4 + (CAST(substr(OLD.day, 6, 2) AS INTEGER) - 1) / 3), -OLD.doors, -OLD.officials, -OLD.pupils, -OLD.adults, -OLD.elderly, -OLD.workers)
    ON CONFLICT (commune_id, quarter) DO UPDATE SET doors = doors + excluded.doors, officials = officials + excluded.officials, pupils = pupils + excluded.pupils, adults = adults + excluded.adults, elderly = elderly + excluded.elderly, workers = workers + excluded.workers;
    INSERT INTO commune_author_days (commune_id, day, author_id, doors)
    VALUES (OLD.commune_id, OLD.day, OLD.author_id, -OLD.doors)
    ON CONFLICT (commune_id, day, author_id) DO UPDATE SET doors = doors + excluded.doors;
    INSERT INTO commune_quarters (commune_id, quarter, doors, officials, pupils, adults, elderly, workers)
    VALUES (NEW.commune_id, (CAST(substr(NEW.day, 1, 4) AS INTEGER) * 4 + (CAST(substr(NEW.day, 6, 2) AS INTEGER) - 1) / 3), NEW.doors, NEW.officials, NEW.pupils, NEW.adults, NEW.elderly, NEW.workers)
    ON CONFLICT (commune_id, quarter) DO UPDATE SET doors = doors + excluded.doors, officials = officials + excluded.officials, pupils = pupils + excluded.pupils, adults = adults + excluded.adults, elderly = elderly + excluded.elderly, workers = workers + excluded.workers;
    INSERT INTO commune_author_days (commune_id, day, author_id, doors)
    VALUES (NEW.commune_id, NEW.day, NEW.author_id, NEW.doors)
    ON CONFLICT (commune_id, day, author_id) DO UPDATE SET doors = doors + excluded.doors;
END;

CREATE TRIGGER commune_quarters_skill_days_insert AFTER INSERT ON skill_days
WHEN (SELECT built FROM aggregates) = 1 BEGIN
    INSERT INTO commune_quarter_skills (commune_id, quarter, code, guided, completed)
    VALUES (NEW.commune_id, (CAST(substr(NEW.day, 1, 4) AS INTEGER) * 4 + (CAST(substr(NEW.day, 6, 2) AS INTEGER) - 1) / 3), NEW.code, NEW.guided, NEW.completed)
    ON CONFLICT (commune_id, quarter, code) DO UPDATE SET guided = guided + excluded.guided, completed = completed + excluded.completed;
END;

CREATE TRIGGER commune_quarters_skill_days_delete AFTER DELETE ON skill_days
WHEN (SELECT built FROM aggregates) = 1 BEGIN
    INSERT INTO commune_quarter_skills (commune_id, quarter, code, guided, completed)
    VALUES (OLD.commune_id, (CAST(substr(OLD.day, 1, 4) AS INTEGER) * 4 + (CAST(substr(OLD.day, 6, 2) AS INTEGER) - 1) / 3), OLD.code, -OLD.guided, -OLD.completed)
    ON CONFLICT (commune_id, quarter, code) DO UPDATE SET guided = guided + excluded.guided, completed = completed + excluded.completed;
END;

CREATE TRIGGER commune_quarters_skill_days_add AFTER UPDATE ON skill_days
WHEN (SELECT built FROM aggregates) = 1 AND OLD.commune_id = NEW.commune_id AND OLD.day = NEW.day AND OLD.code = NEW.code BEGIN
    INSERT INTO commune_quarter_skills (commune_id, quarter, code, guided, completed)
    VALUES (NEW.commune_id, (CAST(substr(NEW.day, 1, 4) AS INTEGER) * 4 + (CAST(substr(NEW.day, 6, 2) AS INTEGER) - 1) / 3), NEW.code, NEW.guided - OLD.guided, NEW.completed - OLD.completed)
    ON CONFLICT (commune_id, quarter, code) DO UPDATE SET guided = guided + excluded.guided, completed = completed + excluded.completed;
END;

CREATE TRIGGER commune_quarters_skill_days_move AFTER UPDATE ON skill_days
WHEN (SELECT built FROM aggregates) = 1 AND NOT (OLD.commune_id = NEW.commune_id AND OLD.day = NEW.day AND OLD.code = NEW.code) BEGIN
    INSERT INTO commune_quarter_skills (commune_id, quarter, code, guided, completed)
    VALUES (OLD.commune_id, (CAST(substr(OLD.day, 1, 4) AS INTEGER) * 4 + (CAST(substr(OLD.day, 6, 2) AS INTEGER) - 1) / 3), OLD.code, -OLD.guided, -OLD.completed)
    ON CONFLICT (commune_id, quarter, code) DO UPDATE SET guided = guided + excluded.guided, completed = completed + excluded.completed;
    INSERT INTO commune_quarter_skills (commune_id, quarter, code, guided, completed)
    VALUES (NEW.commune_id, (CAST(substr(NEW.day, 1, 4) AS INTEGER) * 4 + (CAST(substr(NEW.day, 6, 2) AS INTEGER) - 1) / 3), NEW.code, NEW.guided, NEW.completed)
    ON CONFLICT (commune_id, quarter, code) DO UPDATE SET guided = guided + excluded.guided, completed = completed + excluded.completed;
END;

CREATE TRIGGER commune_quarters_months_insert AFTER INSERT ON household_months
WHEN NEW.scope_team = 0 AND (SELECT built FROM aggregates) = 1 BEGIN
    INSERT INTO commune_quarters (commune_id, quarter, households_reached, households_guided)
    SELECT NEW.commune_id, NEW.year * 4 + q.n, ((NEW.months >> (3 * q.n)) & 7 != 0), ((NEW.guided_months >> (3 * q.n)) & 7 != 0)
    FROM (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) AS q WHERE ((NEW.months >> (3 * q.n)) & 7 != 0) != 0 OR ((NEW.guided_months >> (3 * q.n)) & 7 != 0) != 0
    ON CONFLICT (commune_id, quarter) DO UPDATE SET households_reached = households_reached + excluded.households_reached, households_guided = households_guided + excluded.households_guided;
END;

CREATE TRIGGER commune_quarters_months_delete AFTER DELETE ON household_months
WHEN OLD.scope_team = 0 AND (SELECT built FROM aggregates) = 1 BEGIN
    INSERT INTO commune_quarters (commune_id, quarter, households_reached, households_guided)
    SELECT OLD.commune_id, OLD.year * 4 + q.n, -((OLD.months >> (3 * q.n)) & 7 != 0), -((OLD.guided_months >> (3 * q.n)) & 7 != 0)
    FROM (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) AS q WHERE -((OLD.months >> (3 * q.n)) & 7 != 0) != 0 OR -((OLD.guided_months >> (3 * q.n)) & 7 != 0) != 0
    ON CONFLICT (commune_id, quarter) DO UPDATE SET households_reached = households_reached + excluded.households_reached, households_guided = households_guided + excluded.households_guided;
END;

CREATE TRIGGER commune_quarters_months_add AFTER UPDATE ON household_months
WHEN NEW.scope_team = 0 AND (SELECT built FROM aggregates) = 1 AND OLD.commune_id = NEW.commune_id AND OLD.year = NEW.year AND OLD.scope_team = NEW.scope_team BEGIN
    INSERT INTO commune_quarters (commune_id, quarter, households_reached, households_guided)
    SELECT NEW.commune_id, NEW.year * 4 + q.n, ((NEW.months >> (3 * q.n)) & 7 != 0) - ((OLD.months >> (3 * q.n)) & 7 != 0), ((NEW.guided_months >> (3 * q.n)) & 7 != 0) - ((OLD.guided_months >> (3 * q.n)) & 7 != 0)
    FROM (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) AS q WHERE ((NEW.months >> (3 * q.n)) & 7 != 0) - ((OLD.months >> (3 * q.n)) & 7 != 0) != 0 OR ((NEW.guided_months >> (3 * q.n)) & 7 != 0) - ((OLD.guided_months >> (3 * q.n)) & 7 != 0) != 0
    ON CONFLICT (commune_id, quarter) DO UPDATE SET households_reached = households_reached + excluded.households_reached, households_guided = households_guided + excluded.households_guided;
END;

CREATE TRIGGER commune_quarters_months_move AFTER UPDATE ON household_months
WHEN (SELECT built FROM aggregates) = 1 AND NOT (OLD.commune_id = NEW.commune_id AND OLD.year = NEW.year AND OLD.scope_team = NEW.scope_team) BEGIN
    INSERT INTO commune_quarters (commune_id, quarter, households_reached, households_guided)
    SELECT OLD.commune_id, OLD.year * 4 + q.n, -((OLD.months >> (3 * q.n)) & 7 != 0), -((OLD.guided_months >> (3 * q.n)) & 7 != 0)
    FROM (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) AS q WHERE OLD.scope_team = 0 AND (-((OLD.months >> (3 * q.n)) & 7 != 0) != 0 OR -((OLD.guided_months >> (3 * q.n)) & 7 != 0) != 0)
    ON CONFLICT (commune_id, quarter) DO UPDATE SET households_reached = households_reached + excluded.households_reached, households_guided = households_guided + excluded.households_guided;
    INSERT INTO commune_quarters (commune_id, quarter, households_reached, households_guided)
    SELECT NEW.commune_id, NEW.year * 4 + q.n, ((NEW.months >> (3 * q.n)) & 7 != 0), ((NEW.guided_months >> (3 * q.n)) & 7 != 0)
    FROM (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) AS q WHERE NEW.scope_team = 0 AND (((NEW.months >> (3 * q.n)) & 7 != 0) != 0 OR ((NEW.guided_months >> (3 * q.n)) & 7 != 0) != 0)
    ON CONFLICT (commune_id, quarter) DO UPDATE SET households_reached = households_reached + excluded.households_reached, households_guided = households_guided + excluded.households_guided;
END;

CREATE TRIGGER commune_quarters_progress_insert AFTER INSERT ON household_progress
WHEN NEW.scope_team = 0 AND (SELECT built FROM aggregates) = 1 BEGIN
    INSERT INTO commune_quarters (commune_id, quarter, first_reached)
    VALUES (NEW.commune_id, (CAST(substr(date(NEW.first_visit_at, '+7 hours'), 1, 4) AS INTEGER) * 4 + (CAST(substr(date(NEW.first_visit_at, '+7 hours'), 6, 2) AS INTEGER) - 1) / 3), 1)
    ON CONFLICT (commune_id, quarter) DO UPDATE SET first_reached = first_reached + excluded.first_reached;
    INSERT INTO commune_quarters (commune_id, quarter, reached_target)
    SELECT NEW.commune_id, (CAST(substr(date(NEW.target_at, '+7 hours'), 1, 4) AS INTEGER) * 4 + (CAST(substr(date(NEW.target_at, '+7 hours'), 6, 2) AS INTEGER) - 1) / 3), 1 WHERE NEW.target_at IS NOT NULL
    ON CONFLICT (commune_id, quarter) DO UPDATE SET reached_target = reached_target + excluded.reached_target;
END;

CREATE TRIGGER commune_quarters_progress_delete AFTER DELETE ON household_progress
WHEN OLD.scope_team = 0 AND (SELECT built FROM aggregates) = 1 BEGIN
    INSERT INTO commune_quarters (commune_id, quarter, first_reached)
    VALUES (OLD.commune_id, (CAST(substr(date(OLD.first_visit_at, '+7 hours'), 1, 4) AS INTEGER) * 4 + (CAST(substr(date(OLD.first_visit_at, '+7 hours'), 6, 2) AS INTEGER) - 1) / 3), -1)
    ON CONFLICT (commune_id, quarter) DO UPDATE SET first_reached = first_reached + excluded.first_reached;
    INSERT INTO commune_quarters (commune_id, quarter, reached_target)
    SELECT OLD.commune_id, (CAST(substr(date(OLD.target_at, '+7 hours'), 1, 4) AS INTEGER) * 4 + (CAST(substr(date(OLD.target_at, '+7 hours'), 6, 2) AS INTEGER) - 1) / 3), -1 WHERE OLD.target_at IS NOT NULL
    ON CONFLICT (commune_id, quarter) DO UPDATE SET reached_target = reached_target + excluded.reached_target;
END;

CREATE TRIGGER commune_quarters_progress_update AFTER UPDATE ON household_progress
WHEN NEW.scope_team = 0 AND OLD.scope_team = 0 AND (SELECT built FROM aggregates) = 1 AND (OLD.first_visit_at IS NOT NEW.first_visit_at OR OLD.target_at IS NOT NEW.target_at) BEGIN
    INSERT INTO commune_quarters (commune_id, quarter, first_reached)
    VALUES (OLD.commune_id, (CAST(substr(date(OLD.first_visit_at, '+7 hours'), 1, 4) AS INTEGER) * 4 + (CAST(substr(date(OLD.first_visit_at, '+7 hours'), 6, 2) AS INTEGER) - 1) / 3), -1)
    ON CONFLICT (commune_id, quarter) DO UPDATE SET first_reached = first_reached + excluded.first_reached;
    INSERT INTO commune_quarters (commune_id, quarter, reached_target)
    SELECT OLD.commune_id, (CAST(substr(date(OLD.target_at, '+7 hours'), 1, 4) AS INTEGER) * 4 + (CAST(substr(date(OLD.target_at, '+7 hours'), 6, 2) AS INTEGER) - 1) / 3), -1 WHERE OLD.target_at IS NOT NULL
    ON CONFLICT (commune_id, quarter) DO UPDATE SET reached_target = reached_target + excluded.reached_target;
    INSERT INTO commune_quarters (commune_id, quarter, first_reached)
    VALUES (NEW.commune_id, (CAST(substr(date(NEW.first_visit_at, '+7 hours'), 1, 4) AS INTEGER) * 4 + (CAST(substr(date(NEW.first_visit_at, '+7 hours'), 6, 2) AS INTEGER) - 1) / 3), 1)
    ON CONFLICT (commune_id, quarter) DO UPDATE SET first_reached = first_reached + excluded.first_reached;
    INSERT INTO commune_quarters (commune_id, quarter, reached_target)
    SELECT NEW.commune_id, (CAST(substr(date(NEW.target_at, '+7 hours'), 1, 4) AS INTEGER) * 4 + (CAST(substr(date(NEW.target_at, '+7 hours'), 6, 2) AS INTEGER) - 1) / 3), 1 WHERE NEW.target_at IS NOT NULL
    ON CONFLICT (commune_id, quarter) DO UPDATE SET reached_target = reached_target + excluded.reached_target;
END;

-- Filled from the kept figures already here, by the statements a rebuild
-- fills them with (server/src/db/quarter_figures.rs, `fill`; a test there
-- checks this file holds them), so an upgrade rebuilds nothing.
INSERT INTO commune_quarters (commune_id, quarter, doors, officials, pupils, adults, elderly, workers) SELECT commune_id, (CAST(substr(visit_days.day, 1, 4) AS INTEGER) * 4 + (CAST(substr(visit_days.day, 6, 2) AS INTEGER) - 1) / 3), SUM(doors), SUM(officials), SUM(pupils), SUM(adults), SUM(elderly), SUM(workers) FROM visit_days WHERE TRUE GROUP BY commune_id, (CAST(substr(visit_days.day, 1, 4) AS INTEGER) * 4 + (CAST(substr(visit_days.day, 6, 2) AS INTEGER) - 1) / 3);
INSERT INTO commune_quarters (commune_id, quarter, households_reached, households_guided) SELECT household_months.commune_id, household_months.year * 4 + q.n, SUM(CASE WHEN (household_months.months >> (3 * q.n)) & 7 <> 0 THEN 1 ELSE 0 END), SUM(CASE WHEN (household_months.guided_months >> (3 * q.n)) & 7 <> 0 THEN 1 ELSE 0 END) FROM household_months CROSS JOIN (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) AS q WHERE household_months.scope_team = 0 AND TRUE GROUP BY household_months.commune_id, household_months.year * 4 + q.n HAVING SUM(CASE WHEN (household_months.months >> (3 * q.n)) & 7 <> 0 THEN 1 ELSE 0 END) > 0 ON CONFLICT (commune_id, quarter) DO UPDATE SET households_reached = EXCLUDED.households_reached, households_guided = EXCLUDED.households_guided;
INSERT INTO commune_quarters (commune_id, quarter, first_reached) SELECT commune_id, (CAST(substr(date(household_progress.first_visit_at, '+7 hours'), 1, 4) AS INTEGER) * 4 + (CAST(substr(date(household_progress.first_visit_at, '+7 hours'), 6, 2) AS INTEGER) - 1) / 3), COUNT(*) FROM household_progress WHERE scope_team = 0 AND TRUE AND TRUE GROUP BY commune_id, (CAST(substr(date(household_progress.first_visit_at, '+7 hours'), 1, 4) AS INTEGER) * 4 + (CAST(substr(date(household_progress.first_visit_at, '+7 hours'), 6, 2) AS INTEGER) - 1) / 3) ON CONFLICT (commune_id, quarter) DO UPDATE SET first_reached = EXCLUDED.first_reached;
INSERT INTO commune_quarters (commune_id, quarter, reached_target) SELECT commune_id, (CAST(substr(date(household_progress.target_at, '+7 hours'), 1, 4) AS INTEGER) * 4 + (CAST(substr(date(household_progress.target_at, '+7 hours'), 6, 2) AS INTEGER) - 1) / 3), COUNT(*) FROM household_progress WHERE scope_team = 0 AND target_at IS NOT NULL AND TRUE GROUP BY commune_id, (CAST(substr(date(household_progress.target_at, '+7 hours'), 1, 4) AS INTEGER) * 4 + (CAST(substr(date(household_progress.target_at, '+7 hours'), 6, 2) AS INTEGER) - 1) / 3) ON CONFLICT (commune_id, quarter) DO UPDATE SET reached_target = EXCLUDED.reached_target;
INSERT INTO commune_quarter_skills (commune_id, quarter, code, guided, completed) SELECT commune_id, (CAST(substr(skill_days.day, 1, 4) AS INTEGER) * 4 + (CAST(substr(skill_days.day, 6, 2) AS INTEGER) - 1) / 3), code, SUM(guided), SUM(completed) FROM skill_days WHERE TRUE GROUP BY commune_id, (CAST(substr(skill_days.day, 1, 4) AS INTEGER) * 4 + (CAST(substr(skill_days.day, 6, 2) AS INTEGER) - 1) / 3), code;
INSERT INTO commune_author_days (commune_id, day, author_id, doors) SELECT commune_id, day, author_id, SUM(doors) FROM visit_days WHERE TRUE GROUP BY commune_id, day, author_id;
