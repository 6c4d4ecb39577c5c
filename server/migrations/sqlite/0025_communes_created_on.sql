-- The day (Vietnam's calendar) a province's Department added a commune from
-- its screen: the province counts the commune from that day's quarter on and
-- never reports it missing for a quarter before it existed. Communes set up
-- by whoever runs the server (the command line, the demo) have none and count
-- in every quarter: they may bring their past with them.
ALTER TABLE communes ADD COLUMN created_on TEXT;
