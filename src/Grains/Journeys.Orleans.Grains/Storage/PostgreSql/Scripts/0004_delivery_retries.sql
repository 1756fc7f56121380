-- Delivery that survives restarts: each unsent payload keeps its retry schedule, and payloads refused for good are
-- kept as dead letters (with the answer) until they are replayed.

ALTER TABLE journeys_event_outbox
    ADD COLUMN attempts         integer     NOT NULL DEFAULT 0,
    ADD COLUMN first_attempt_at timestamptz NULL,
    ADD COLUMN next_attempt_at  timestamptz NULL;

CREATE TABLE journeys_dead_letters
(
    service_id     varchar(150) NOT NULL,
    destination_id varchar(64)  NOT NULL,
    message_id     varchar(64)  NOT NULL,
    partition      integer      NOT NULL,
    user_key       varchar(300) NOT NULL,
    payload        text         NOT NULL,
    status         integer      NULL,
    reason         text         NOT NULL,
    response       text         NULL,
    attempts       integer      NOT NULL,
    failed_at      timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, destination_id, message_id)
);
CREATE INDEX ix_journeys_dead_letters_partition ON journeys_dead_letters (service_id, destination_id, partition, failed_at);
