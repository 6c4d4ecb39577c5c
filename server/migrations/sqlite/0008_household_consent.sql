-- Whether the household agreed that its name, address and phone be kept;
-- households recorded before this was asked were recorded with agreement.
ALTER TABLE households ADD COLUMN consent INTEGER NOT NULL DEFAULT 1;
-- Set when a coordinator erased the household's personal data on its request:
-- no push may bring it back.
ALTER TABLE households ADD COLUMN erased_at TEXT;
