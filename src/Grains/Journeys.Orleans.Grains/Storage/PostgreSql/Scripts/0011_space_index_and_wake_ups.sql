-- The space's index and the wake-up buckets get tables of their own. Until now both were kept in journeys_list_members
-- under made-up "destinations" (ix_<space> and wk_<space>), dressed as lists no remote list followed.
--
-- journeys_space_index: per space, under each step id the users in that step (with the epoch of their membership, so an
-- older exit never removes a newer entry), and under the step id 'users' every user the space has seen (the directory
-- a backfill walks). Written by the users' own commits; read page by page in user-key order.
CREATE TABLE journeys_space_index
(
    service_id   varchar(150) NOT NULL,
    space_id     varchar(64)  NOT NULL,
    step_id      varchar(64)  NOT NULL,
    user_key     varchar(300) NOT NULL,
    user_id      varchar(255) NULL,
    anonymous_id varchar(255) NULL,
    epoch        integer      NOT NULL,
    since        timestamptz  NOT NULL,
    PRIMARY KEY (service_id, space_id, step_id, user_key)
);

-- journeys_wake_ups: the users a wake-up bucket (one minute of one partition of a space's users) wakes when its minute
-- has come; a row is deleted once its user was woken.
CREATE TABLE journeys_wake_ups
(
    service_id varchar(150) NOT NULL,
    space_id   varchar(64)  NOT NULL,
    bucket     varchar(64)  NOT NULL,
    user_key   varchar(300) NOT NULL,
    PRIMARY KEY (service_id, space_id, bucket, user_key)
);

INSERT INTO journeys_space_index (service_id, space_id, step_id, user_key, user_id, anonymous_id, epoch, since)
SELECT service_id, substr(destination_id, 4), step_id, user_key, user_id, anonymous_id, epoch, since
FROM journeys_list_members WHERE destination_id LIKE 'ix\_%';

INSERT INTO journeys_wake_ups (service_id, space_id, bucket, user_key)
SELECT service_id, substr(destination_id, 4), step_id, user_key
FROM journeys_list_members WHERE destination_id LIKE 'wk\_%';

DELETE FROM journeys_list_members WHERE destination_id LIKE 'ix\_%' OR destination_id LIKE 'wk\_%';
