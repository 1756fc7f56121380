-- Delivery counters that survive restarts. Each row is an increment written in the same statement as the change it
-- counts (the delete of sent outbox rows, the retry schedule, the drop of superseded dead letters), so a count never
-- drifts from the rows. Increments are only ever inserted, never updated: statements of many partitions share group
-- commits, and updating one row per partition would lock rows in whatever order callers come, which can deadlock.
-- A partition sums and folds its rows into one when it activates and now and then while it runs.
CREATE TABLE journeys_delivery_counts
(
    id             bigserial    PRIMARY KEY,
    service_id     varchar(150) NOT NULL,
    destination_id varchar(64)  NOT NULL,
    partition      integer      NOT NULL,
    delivered      bigint       NOT NULL DEFAULT 0,
    retries        bigint       NOT NULL DEFAULT 0,
    skipped        bigint       NOT NULL DEFAULT 0
);
CREATE INDEX ix_journeys_delivery_counts_partition ON journeys_delivery_counts (service_id, destination_id, partition);
