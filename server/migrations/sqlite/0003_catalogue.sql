-- Each commune's skill catalogue, editable without a new release. Communes
-- start from the catalogue in domain/src/catalogue.rs, inserted by the server
-- at start for any commune that has none.
CREATE TABLE skills (
    commune_id INTEGER NOT NULL REFERENCES communes (id),
    code       TEXT NOT NULL,
    skill_group TEXT NOT NULL,
    label      TEXT NOT NULL,
    -- Retired skills are no longer offered but stay readable in old visits.
    retired    INTEGER NOT NULL DEFAULT 0,
    position   INTEGER NOT NULL,
    PRIMARY KEY (commune_id, code)
);
