-- Orleans' ADO.NET grain storage and reminders contracts, written for this project.

CREATE TABLE OrleansStorage
(
    GrainIdHash            integer      NOT NULL,
    GrainIdN0              bigint       NOT NULL,
    GrainIdN1              bigint       NOT NULL,
    GrainTypeHash          integer      NOT NULL,
    GrainTypeString        varchar(512) NOT NULL,
    GrainIdExtensionString varchar(512) NULL,
    ServiceId              varchar(150) NOT NULL,
    PayloadBinary          bytea        NULL,
    ModifiedOn             timestamptz  NOT NULL DEFAULT now(),
    Version                integer      NULL
);

-- The identity Orleans reads by. Unique, so that two racing first writes cannot leave two rows behind
-- (the second one fails instead of making the grain unreadable).
CREATE UNIQUE INDEX ux_orleansstorage_identity ON OrleansStorage
    (ServiceId, GrainTypeHash, GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeString, coalesce(GrainIdExtensionString, ''));

-- Writes a grain's state: insert when the grain had no version, update when the stored version matches.
-- Returns the new version, or NULL when another writer got there first.
CREATE FUNCTION journeys_storage_write(
    p_grain_id_hash integer, p_grain_id_n0 bigint, p_grain_id_n1 bigint, p_grain_type_hash integer,
    p_grain_type varchar, p_grain_id_extension varchar, p_service_id varchar, p_version integer, p_payload bytea)
RETURNS TABLE (NewGrainStateVersion integer) LANGUAGE plpgsql AS
$$
DECLARE new_version integer;
BEGIN
    IF p_version IS NULL THEN
        INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
                                    GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
        VALUES (p_grain_id_hash, p_grain_id_n0, p_grain_id_n1, p_grain_type_hash, p_grain_type,
                p_grain_id_extension, p_service_id, p_payload, now(), 1)
        ON CONFLICT DO NOTHING
        RETURNING Version INTO new_version;
    ELSE
        UPDATE OrleansStorage
           SET PayloadBinary = p_payload, ModifiedOn = now(), Version = Version + 1
         WHERE GrainIdHash = p_grain_id_hash AND GrainTypeHash = p_grain_type_hash
           AND GrainIdN0 = p_grain_id_n0 AND GrainIdN1 = p_grain_id_n1
           AND GrainTypeString = p_grain_type
           AND coalesce(GrainIdExtensionString, '') = coalesce(p_grain_id_extension, '')
           AND ServiceId = p_service_id
           AND Version = p_version
        RETURNING Version INTO new_version;
    END IF;
    RETURN QUERY SELECT new_version;
END
$$;

-- Clears a grain's state (keeps the row with no payload) when the stored version matches.
CREATE FUNCTION journeys_storage_clear(
    p_grain_id_hash integer, p_grain_id_n0 bigint, p_grain_id_n1 bigint, p_grain_type_hash integer,
    p_grain_type varchar, p_grain_id_extension varchar, p_service_id varchar, p_version integer)
RETURNS TABLE (NewGrainStateVersion integer, Version integer) LANGUAGE plpgsql AS
$$
DECLARE new_version integer;
BEGIN
    UPDATE OrleansStorage s
       SET PayloadBinary = NULL, ModifiedOn = now(), Version = s.Version + 1
     WHERE s.GrainIdHash = p_grain_id_hash AND s.GrainTypeHash = p_grain_type_hash
       AND s.GrainIdN0 = p_grain_id_n0 AND s.GrainIdN1 = p_grain_id_n1
       AND s.GrainTypeString = p_grain_type
       AND coalesce(s.GrainIdExtensionString, '') = coalesce(p_grain_id_extension, '')
       AND s.ServiceId = p_service_id
       AND s.Version IS NOT DISTINCT FROM p_version
    RETURNING s.Version INTO new_version;
    RETURN QUERY SELECT new_version, new_version;
END
$$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey',
 'SELECT PayloadBinary, Version FROM OrleansStorage
   WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
     AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
     AND GrainTypeString = @GrainTypeString
     AND coalesce(GrainIdExtensionString, '''') = coalesce(@GrainIdExtensionString, '''')
     AND ServiceId = @ServiceId
   LIMIT 1;'),
('WriteToStorageKey',
 'SELECT NewGrainStateVersion FROM journeys_storage_write(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash,
     @GrainTypeString, @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary);'),
('ClearStorageKey',
 'SELECT NewGrainStateVersion, Version FROM journeys_storage_clear(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash,
     @GrainTypeString, @GrainIdExtensionString, @ServiceId, @GrainStateVersion);'),
('DeleteStorageKey',
 'DELETE FROM OrleansStorage
   WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
     AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
     AND GrainTypeString = @GrainTypeString
     AND coalesce(GrainIdExtensionString, '''') = coalesce(@GrainIdExtensionString, '''')
     AND ServiceId = @ServiceId AND Version IS NOT DISTINCT FROM @GrainStateVersion
  RETURNING Version + 1 AS NewGrainStateVersion;');

-- Reminders. GrainId is "type/key": widened beyond Orleans' 150 so that long keys fit.
CREATE TABLE OrleansRemindersTable
(
    ServiceId    varchar(150)   NOT NULL,
    GrainId      varchar(600)   NOT NULL,
    ReminderName varchar(150)   NOT NULL,
    StartTime    timestamptz(3) NOT NULL,
    Period       bigint         NOT NULL,
    GrainHash    integer        NOT NULL,
    Version      integer        NOT NULL,
    PRIMARY KEY (ServiceId, GrainId, ReminderName)
);
CREATE INDEX ix_orleansreminders_hash ON OrleansRemindersTable (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpsertReminderRowKey',
 'INSERT INTO OrleansRemindersTable AS r (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
  VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
  ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
     SET StartTime = EXCLUDED.StartTime, Period = EXCLUDED.Period, GrainHash = EXCLUDED.GrainHash,
         Version = r.Version + 1
  RETURNING Version;'),
('ReadReminderRowsKey',
 'SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
   WHERE ServiceId = @ServiceId AND GrainId = @GrainId;'),
('ReadReminderRowKey',
 'SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
   WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName;'),
('ReadRangeRows1Key',
 'SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
   WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash;'),
('ReadRangeRows2Key',
 'SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
   WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);'),
('DeleteReminderRowKey',
 'WITH gone AS (DELETE FROM OrleansRemindersTable
                 WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
                   AND Version = @Version RETURNING 1)
  SELECT count(*)::integer FROM gone;'),
('DeleteReminderRowsKey',
 'DELETE FROM OrleansRemindersTable WHERE ServiceId = @ServiceId;');
