-- Sign-in attempts, counted per account (or invite code) and per address
-- (`crate::rate_limit`), kept in the database so that every server process
-- on it counts the same guesses, and a restart forgets none.
CREATE TABLE sign_in_attempts (
    attempt    TEXT NOT NULL,
    counter    TEXT NOT NULL,
    started_at TEXT NOT NULL,
    PRIMARY KEY (counter, started_at, attempt)
) WITHOUT ROWID;
CREATE INDEX sign_in_attempts_by_start ON sign_in_attempts (started_at);
