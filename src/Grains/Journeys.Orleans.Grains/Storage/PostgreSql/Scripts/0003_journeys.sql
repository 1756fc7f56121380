-- Journeys.Orleans' own tables.

-- Hot grain state (per-user grains), written in group commits by PostgresGrainStateStore:
-- one row per grain and state name, the version is the etag.
CREATE TABLE journeys_grain_state
(
    service_id  varchar(150) NOT NULL,
    state_name  varchar(100) NOT NULL,
    grain_id    varchar(600) NOT NULL,
    version     integer      NOT NULL,
    payload     bytea        NOT NULL,
    modified_on timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, state_name, grain_id)
);

-- List destinations' members: one row per member, so a change costs one row whatever the list's size.
CREATE TABLE journeys_list_members
(
    service_id     varchar(150) NOT NULL,
    destination_id varchar(64)  NOT NULL,
    step_id        varchar(64)  NOT NULL,
    user_key       varchar(300) NOT NULL,
    user_id        varchar(255) NULL,
    anonymous_id   varchar(255) NULL,
    epoch          integer      NOT NULL,
    since          timestamptz  NOT NULL,
    PRIMARY KEY (service_id, destination_id, step_id, user_key)
);

-- Event destinations' outbox: payloads accepted by a destination partition and not yet sent. Written before the
-- partition acknowledges them, deleted once sent (or refused for good), read back when the partition restarts.
-- A message id names one payload, so a payload accepted twice is kept once; "enqueued" keeps the order.
CREATE TABLE journeys_event_outbox
(
    service_id     varchar(150) NOT NULL,
    destination_id varchar(64)  NOT NULL,
    message_id     varchar(64)  NOT NULL,
    partition      integer      NOT NULL,
    enqueued       bigserial    NOT NULL,
    user_key       varchar(300) NOT NULL,
    payload        text         NOT NULL,
    enqueued_at    timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, destination_id, message_id)
);
CREATE INDEX ix_journeys_event_outbox_partition ON journeys_event_outbox (service_id, destination_id, partition, enqueued);
