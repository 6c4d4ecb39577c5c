-- Quarterly reports sent upward (issue 15): one per commune and quarter, kept
-- as it was submitted (the report as JSON, in the shape the API returns) so
-- later visits do not change what the levels above received. A resubmission
-- before the due date replaces it; both are in the audit log.
CREATE TABLE report_submissions (
    commune_id   INTEGER NOT NULL REFERENCES communes (id),
    quarter      TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    submitted_by INTEGER NOT NULL REFERENCES users (id),
    times        INTEGER NOT NULL,
    report       TEXT NOT NULL,
    PRIMARY KEY (commune_id, quarter)
);
