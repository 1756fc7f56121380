-- What the pipeline and journey pages chart: per minute, what each event destination's receivers answered (delivered,
-- retried, dead-lettered, and the delivered payloads' latency as counts in fixed buckets, so that percentiles over an
-- hour or a day come from summed buckets), and how users moved through each journey (entered, in and out of each
-- step, each split branch, exits by reason). Each silo adds what it counted every few seconds (an upsert that adds),
-- so the silos of a cluster add into the same minute rows. Rows older than Journeys:HistoryRetention are deleted.
CREATE TABLE journeys_delivery_minutes
(
    service_id     varchar(150) NOT NULL,
    destination_id varchar(64)  NOT NULL,
    minute         timestamptz  NOT NULL,
    delivered      bigint       NOT NULL DEFAULT 0,
    retried        bigint       NOT NULL DEFAULT 0,
    failed         bigint       NOT NULL DEFAULT 0,
    latency        bigint[]     NOT NULL,
    PRIMARY KEY (service_id, destination_id, minute)
);

CREATE TABLE journeys_flow_minutes
(
    service_id varchar(150) NOT NULL,
    journey_id varchar(64)  NOT NULL,
    minute     timestamptz  NOT NULL,
    counter    text         NOT NULL,
    count      bigint       NOT NULL DEFAULT 0,
    PRIMARY KEY (service_id, journey_id, minute, counter)
);
CREATE INDEX ix_journeys_delivery_minutes_minute ON journeys_delivery_minutes (minute);
CREATE INDEX ix_journeys_flow_minutes_minute ON journeys_flow_minutes (minute);
