-- As SQLite's 0025: the day a province's Department added a commune, which
-- its province counts from that day's quarter on; none for communes set up
-- by whoever runs the server.
ALTER TABLE communes ADD COLUMN created_on DATE;
