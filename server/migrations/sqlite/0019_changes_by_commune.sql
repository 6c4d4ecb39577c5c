-- A pull reads one commune's changes after a cursor: without this index it
-- walked the whole log from the cursor on, every commune's changes, to find
-- its own (a fresh phone: the whole log).
CREATE INDEX changes_by_commune ON changes (commune_id, seq);
