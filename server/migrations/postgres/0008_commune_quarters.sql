-- As SQLite's 0024: a commune's figures per quarter, for the level above the
-- commune (issue 15), kept by triggers on the commune's kept figures in the
-- same transaction as every change of those; standing aside while every kept
-- figure is rebuilt, which fills them at its end.
CREATE TABLE commune_quarters (
    commune_id         BIGINT NOT NULL REFERENCES communes (id),
    quarter            BIGINT NOT NULL,
    doors              BIGINT NOT NULL DEFAULT 0,
    officials          BIGINT NOT NULL DEFAULT 0,
    pupils             BIGINT NOT NULL DEFAULT 0,
    adults             BIGINT NOT NULL DEFAULT 0,
    elderly            BIGINT NOT NULL DEFAULT 0,
    workers            BIGINT NOT NULL DEFAULT 0,
    households_reached BIGINT NOT NULL DEFAULT 0,
    households_guided  BIGINT NOT NULL DEFAULT 0,
    first_reached      BIGINT NOT NULL DEFAULT 0,
    reached_target     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (commune_id, quarter)
);

CREATE TABLE commune_quarter_skills (
    commune_id BIGINT NOT NULL REFERENCES communes (id),
    quarter    BIGINT NOT NULL,
    code       TEXT NOT NULL,
    guided     BIGINT NOT NULL DEFAULT 0,
    completed  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (commune_id, quarter, code)
);

CREATE TABLE commune_author_days (
    commune_id BIGINT NOT NULL REFERENCES communes (id),
    day        DATE NOT NULL,
    author_id  BIGINT NOT NULL,
    doors      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (commune_id, day, author_id)
);

-- year * 4 + the quarter's index (0: January to March) of a day, and of an instant's day in Vietnam (UTC+7).
CREATE FUNCTION quarter_of(day DATE) RETURNS BIGINT LANGUAGE sql IMMUTABLE
    AS $$ SELECT EXTRACT(YEAR FROM day)::BIGINT * 4 + (EXTRACT(MONTH FROM day)::BIGINT - 1) / 3 $$;
CREATE FUNCTION quarter_of_instant(at TIMESTAMPTZ) RETURNS BIGINT LANGUAGE sql IMMUTABLE
    AS $$ SELECT quarter_of(((at AT TIME ZONE 'UTC') + INTERVAL '7 hours')::DATE) $$;

CREATE FUNCTION commune_quarters_of_visit_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT (SELECT built FROM aggregates) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.commune_id = NEW.commune_id AND OLD.day = NEW.day AND OLD.author_id = NEW.author_id THEN
        INSERT INTO commune_quarters AS t (commune_id, quarter, doors, officials, pupils, adults, elderly, workers)
        VALUES (NEW.commune_id, quarter_of(NEW.day), NEW.doors - OLD.doors, NEW.officials - OLD.officials, NEW.pupils - OLD.pupils, NEW.adults - OLD.adults, NEW.elderly - OLD.elderly, NEW.workers - OLD.workers)
        ON CONFLICT (commune_id, quarter) DO UPDATE SET doors = t.doors + EXCLUDED.doors, officials = t.officials + EXCLUDED.officials, pupils = t.pupils + EXCLUDED.pupils, adults = t.adults + EXCLUDED.adults, elderly = t.elderly + EXCLUDED.elderly, workers = t.workers + EXCLUDED.workers;
        INSERT INTO commune_author_days AS t (commune_id, day, author_id, doors)
        VALUES (NEW.commune_id, NEW.day, NEW.author_id, NEW.doors - OLD.doors)
        ON CONFLICT (commune_id, day, author_id) DO UPDATE SET doors = t.doors + EXCLUDED.doors;
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO commune_quarters AS t (commune_id, quarter, doors, officials, pupils, adults, elderly, workers)
        VALUES (OLD.commune_id, quarter_of(OLD.day), -OLD.doors, -OLD.officials, -OLD.pupils, -OLD.adults, -OLD.elderly, -OLD.workers)
        ON CONFLICT (commune_id, quarter) DO UPDATE SET doors = t.doors + EXCLUDED.doors, officials = t.officials + EXCLUDED.officials, pupils = t.pupils + EXCLUDED.pupils, adults = t.adults + EXCLUDED.adults, elderly = t.elderly + EXCLUDED.elderly, workers = t.workers + EXCLUDED.workers;
        INSERT INTO commune_author_days AS t (commune_id, day, author_id, doors)
        VALUES (OLD.commune_id, OLD.day, OLD.author_id, -OLD.doors)
        ON CONFLICT (commune_id, day, author_id) DO UPDATE SET doors = t.doors + EXCLUDED.doors;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO commune_quarters AS t (commune_id, quarter, doors, officials, pupils, adults, elderly, workers)
        VALUES (NEW.commune_id, quarter_of(NEW.day), NEW.doors, NEW.officials, NEW.pupils, NEW.adults, NEW.elderly, NEW.workers)
        ON CONFLICT (commune_id, quarter) DO UPDATE SET doors = t.doors + EXCLUDED.doors, officials = t.officials + EXCLUDED.officials, pupils = t.pupils + EXCLUDED.pupils, adults = t.adults + EXCLUDED.adults, elderly = t.elderly + EXCLUDED.elderly, workers = t.workers + EXCLUDED.workers;
        INSERT INTO commune_author_days AS t (commune_id, day, author_id, doors)
        VALUES (NEW.commune_id, NEW.day, NEW.author_id, NEW.doors)
        ON CONFLICT (commune_id, day, author_id) DO UPDATE SET doors = t.doors + EXCLUDED.doors;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER commune_quarters AFTER INSERT OR UPDATE OR DELETE ON visit_days
    FOR EACH ROW EXECUTE FUNCTION commune_quarters_of_visit_days();

CREATE FUNCTION commune_quarters_of_skill_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT (SELECT built FROM aggregates) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.commune_id = NEW.commune_id AND OLD.day = NEW.day AND OLD.code = NEW.code THEN
        INSERT INTO commune_quarter_skills AS t (commune_id, quarter, code, guided, completed)
        VALUES (NEW.commune_id, quarter_of(NEW.day), NEW.code, NEW.guided - OLD.guided, NEW.completed - OLD.completed)
        ON CONFLICT (commune_id, quarter, code) DO UPDATE SET guided = t.guided + EXCLUDED.guided, completed = t.completed + EXCLUDED.completed;
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO commune_quarter_skills AS t (commune_id, quarter, code, guided, completed)
        VALUES (OLD.commune_id, quarter_of(OLD.day), OLD.code, -OLD.guided, -OLD.completed)
        ON CONFLICT (commune_id, quarter, code) DO UPDATE SET guided = t.guided + EXCLUDED.guided, completed = t.completed + EXCLUDED.completed;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO commune_quarter_skills AS t (commune_id, quarter, code, guided, completed)
        VALUES (NEW.commune_id, quarter_of(NEW.day), NEW.code, NEW.guided, NEW.completed)
        ON CONFLICT (commune_id, quarter, code) DO UPDATE SET guided = t.guided + EXCLUDED.guided, completed = t.completed + EXCLUDED.completed;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER commune_quarters AFTER INSERT OR UPDATE OR DELETE ON skill_days
    FOR EACH ROW EXECUTE FUNCTION commune_quarters_of_skill_days();

CREATE FUNCTION commune_quarters_of_household_months() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT (SELECT built FROM aggregates) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.scope_team = 0 AND OLD.commune_id = NEW.commune_id AND OLD.year = NEW.year AND OLD.scope_team = NEW.scope_team THEN
        INSERT INTO commune_quarters AS t (commune_id, quarter, households_reached, households_guided)
        SELECT NEW.commune_id, NEW.year * 4 + q.n, ((NEW.months >> (3 * q.n)::INT) & 7 <> 0)::INT - ((OLD.months >> (3 * q.n)::INT) & 7 <> 0)::INT, ((NEW.guided_months >> (3 * q.n)::INT) & 7 <> 0)::INT - ((OLD.guided_months >> (3 * q.n)::INT) & 7 <> 0)::INT
        FROM generate_series(0, 3) AS q(n) WHERE ((NEW.months >> (3 * q.n)::INT) & 7 <> 0)::INT - ((OLD.months >> (3 * q.n)::INT) & 7 <> 0)::INT <> 0 OR ((NEW.guided_months >> (3 * q.n)::INT) & 7 <> 0)::INT - ((OLD.guided_months >> (3 * q.n)::INT) & 7 <> 0)::INT <> 0
        ON CONFLICT (commune_id, quarter) DO UPDATE SET households_reached = t.households_reached + EXCLUDED.households_reached, households_guided = t.households_guided + EXCLUDED.households_guided;
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.scope_team = 0 THEN
        INSERT INTO commune_quarters AS t (commune_id, quarter, households_reached, households_guided)
        SELECT OLD.commune_id, OLD.year * 4 + q.n, -((OLD.months >> (3 * q.n)::INT) & 7 <> 0)::INT, -((OLD.guided_months >> (3 * q.n)::INT) & 7 <> 0)::INT
        FROM generate_series(0, 3) AS q(n) WHERE -((OLD.months >> (3 * q.n)::INT) & 7 <> 0)::INT <> 0 OR -((OLD.guided_months >> (3 * q.n)::INT) & 7 <> 0)::INT <> 0
        ON CONFLICT (commune_id, quarter) DO UPDATE SET households_reached = t.households_reached + EXCLUDED.households_reached, households_guided = t.households_guided + EXCLUDED.households_guided;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.scope_team = 0 THEN
        INSERT INTO commune_quarters AS t (commune_id, quarter, households_reached, households_guided)
        SELECT NEW.commune_id, NEW.year * 4 + q.n, ((NEW.months >> (3 * q.n)::INT) & 7 <> 0)::INT, ((NEW.guided_months >> (3 * q.n)::INT) & 7 <> 0)::INT
        FROM generate_series(0, 3) AS q(n) WHERE ((NEW.months >> (3 * q.n)::INT) & 7 <> 0)::INT <> 0 OR ((NEW.guided_months >> (3 * q.n)::INT) & 7 <> 0)::INT <> 0
        ON CONFLICT (commune_id, quarter) DO UPDATE SET households_reached = t.households_reached + EXCLUDED.households_reached, households_guided = t.households_guided + EXCLUDED.households_guided;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER commune_quarters AFTER INSERT OR UPDATE OR DELETE ON household_months
    FOR EACH ROW EXECUTE FUNCTION commune_quarters_of_household_months();

CREATE FUNCTION commune_quarters_of_household_progress() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT (SELECT built FROM aggregates) THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.scope_team = 0 THEN
        INSERT INTO commune_quarters AS t (commune_id, quarter, first_reached)
        VALUES (OLD.commune_id, quarter_of_instant(OLD.first_visit_at), -1)
        ON CONFLICT (commune_id, quarter) DO UPDATE SET first_reached = t.first_reached + EXCLUDED.first_reached;
        IF OLD.target_at IS NOT NULL THEN
            INSERT INTO commune_quarters AS t (commune_id, quarter, reached_target)
            VALUES (OLD.commune_id, quarter_of_instant(OLD.target_at), -1)
            ON CONFLICT (commune_id, quarter) DO UPDATE SET reached_target = t.reached_target + EXCLUDED.reached_target;
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.scope_team = 0 THEN
        INSERT INTO commune_quarters AS t (commune_id, quarter, first_reached)
        VALUES (NEW.commune_id, quarter_of_instant(NEW.first_visit_at), 1)
        ON CONFLICT (commune_id, quarter) DO UPDATE SET first_reached = t.first_reached + EXCLUDED.first_reached;
        IF NEW.target_at IS NOT NULL THEN
            INSERT INTO commune_quarters AS t (commune_id, quarter, reached_target)
            VALUES (NEW.commune_id, quarter_of_instant(NEW.target_at), 1)
            ON CONFLICT (commune_id, quarter) DO UPDATE SET reached_target = t.reached_target + EXCLUDED.reached_target;
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER commune_quarters AFTER INSERT OR DELETE ON household_progress
    FOR EACH ROW EXECUTE FUNCTION commune_quarters_of_household_progress();
CREATE TRIGGER commune_quarters_changed AFTER UPDATE OF first_visit_at, target_at ON household_progress
    FOR EACH ROW WHEN (OLD.first_visit_at IS DISTINCT FROM NEW.first_visit_at
                       OR OLD.target_at IS DISTINCT FROM NEW.target_at)
    EXECUTE FUNCTION commune_quarters_of_household_progress();

-- Filled from the kept figures already here, by the statements a rebuild
-- fills them with (server/src/db/quarter_figures.rs, `fill`; a test there
-- checks this file holds them), so an upgrade rebuilds nothing.
INSERT INTO commune_quarters (commune_id, quarter, doors, officials, pupils, adults, elderly, workers) SELECT commune_id, quarter_of(visit_days.day), SUM(doors), SUM(officials), SUM(pupils), SUM(adults), SUM(elderly), SUM(workers) FROM visit_days WHERE TRUE GROUP BY commune_id, quarter_of(visit_days.day);
INSERT INTO commune_quarters (commune_id, quarter, households_reached, households_guided) SELECT household_months.commune_id, household_months.year * 4 + q.n, SUM(CASE WHEN (household_months.months >> (3 * q.n)) & 7 <> 0 THEN 1 ELSE 0 END), SUM(CASE WHEN (household_months.guided_months >> (3 * q.n)) & 7 <> 0 THEN 1 ELSE 0 END) FROM household_months CROSS JOIN (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) AS q WHERE household_months.scope_team = 0 AND TRUE GROUP BY household_months.commune_id, household_months.year * 4 + q.n HAVING SUM(CASE WHEN (household_months.months >> (3 * q.n)) & 7 <> 0 THEN 1 ELSE 0 END) > 0 ON CONFLICT (commune_id, quarter) DO UPDATE SET households_reached = EXCLUDED.households_reached, households_guided = EXCLUDED.households_guided;
INSERT INTO commune_quarters (commune_id, quarter, first_reached) SELECT commune_id, quarter_of_instant(household_progress.first_visit_at), COUNT(*) FROM household_progress WHERE scope_team = 0 AND TRUE AND TRUE GROUP BY commune_id, quarter_of_instant(household_progress.first_visit_at) ON CONFLICT (commune_id, quarter) DO UPDATE SET first_reached = EXCLUDED.first_reached;
INSERT INTO commune_quarters (commune_id, quarter, reached_target) SELECT commune_id, quarter_of_instant(household_progress.target_at), COUNT(*) FROM household_progress WHERE scope_team = 0 AND target_at IS NOT NULL AND TRUE GROUP BY commune_id, quarter_of_instant(household_progress.target_at) ON CONFLICT (commune_id, quarter) DO UPDATE SET reached_target = EXCLUDED.reached_target;
INSERT INTO commune_quarter_skills (commune_id, quarter, code, guided, completed) SELECT commune_id, quarter_of(skill_days.day), code, SUM(guided), SUM(completed) FROM skill_days WHERE TRUE GROUP BY commune_id, quarter_of(skill_days.day), code;
INSERT INTO commune_author_days (commune_id, day, author_id, doors) SELECT commune_id, day, author_id, SUM(doors) FROM visit_days WHERE TRUE GROUP BY commune_id, day, author_id;
