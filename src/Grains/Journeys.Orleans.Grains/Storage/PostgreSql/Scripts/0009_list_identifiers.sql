-- The identifiers a list connection asks for (traits such as email or phone, hashed when asked), kept per member and
-- with each logged change, so the remote list receives them with additions and removals, and a member whose
-- identifiers change is updated there without leaving. Null when the connection asks only for userId / anonymousId.
ALTER TABLE journeys_list_members ADD COLUMN identifiers jsonb NULL;
ALTER TABLE journeys_list_changes ADD COLUMN identifiers jsonb NULL;
