-- What changed in each list, in order, so that a remote list can be kept in sync: one row per member that was
-- added or removed, written in the same statement as the member row, read by the sync in sequence and deleted
-- once the remote list has it. Work per change is one row, whatever the list's size.
CREATE TABLE journeys_list_changes
(
    service_id     varchar(150) NOT NULL,
    destination_id varchar(64)  NOT NULL,
    step_id        varchar(64)  NOT NULL,
    seq            bigserial    NOT NULL,
    user_key       varchar(300) NOT NULL,
    user_id        varchar(255) NULL,
    anonymous_id   varchar(255) NULL,
    added          boolean      NOT NULL,
    PRIMARY KEY (service_id, destination_id, step_id, seq)
);
