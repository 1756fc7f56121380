-- The service keeps its own member set per space in journeys_list_members: under each step id the users in that step
-- (any step kind, for step counts and members), under "users" every user the space has seen (for backfills). Its id
-- is "ix_" and the space id (up to 64 characters), so member rows take ids up to 80 characters.
ALTER TABLE journeys_list_members ALTER COLUMN destination_id TYPE varchar(80);
ALTER TABLE journeys_list_changes ALTER COLUMN destination_id TYPE varchar(80);
