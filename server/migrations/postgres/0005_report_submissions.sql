-- As SQLite's 0021: quarterly reports sent upward, kept as submitted.
CREATE TABLE report_submissions (
    commune_id   BIGINT NOT NULL REFERENCES communes (id),
    quarter      TEXT NOT NULL,
    submitted_at TIMESTAMPTZ NOT NULL,
    submitted_by BIGINT NOT NULL REFERENCES users (id),
    times        INTEGER NOT NULL,
    report       TEXT NOT NULL,
    PRIMARY KEY (commune_id, quarter)
);
