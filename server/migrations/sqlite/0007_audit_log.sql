-- Who created, changed, deleted or exported personal data, and when; also
-- changes to accounts and devices. Coordinators read it; nobody edits it.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id INTEGER NOT NULL REFERENCES communes (id),
    at         TEXT NOT NULL,
    actor_id   INTEGER NOT NULL REFERENCES users (id),
    -- "household.created", "household.erased", "account.deactivated", "export.visits", …
    action     TEXT NOT NULL,
    -- What it was done to: "household:<uuid>", "user:12", "invite:3".
    subject    TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_commune ON audit_log (commune_id, id);
