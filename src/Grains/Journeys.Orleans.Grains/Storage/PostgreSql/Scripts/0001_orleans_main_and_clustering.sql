-- Orleans' ADO.NET query table and the membership (clustering) contract, written for this project.
-- Each provider reads its statements from OrleansQuery at start-up and binds parameters by name.
-- Rollback inside functions uses RAISE EXCEPTION, never ASSERT (ASSERT is a no-op when plpgsql.check_asserts is off).

CREATE TABLE OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL PRIMARY KEY,
    QueryText varchar(8000) NOT NULL
);

CREATE TABLE OrleansMembershipVersionTable
(
    DeploymentId varchar(150)   NOT NULL PRIMARY KEY,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0
);

CREATE TABLE OrleansMembershipTable
(
    DeploymentId varchar(150)   NOT NULL REFERENCES OrleansMembershipVersionTable (DeploymentId),
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    Status       integer        NOT NULL,
    ProxyPort    integer        NULL,
    SuspectTimes varchar(8000)  NULL,
    MetadataJson text           NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

-- 1 when the deployment's version row was created now, 0 when it existed.
CREATE FUNCTION journeys_membership_version_insert(p_deployment varchar)
RETURNS TABLE (row_count integer) LANGUAGE plpgsql AS
$$
DECLARE affected integer;
BEGIN
    INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES (p_deployment)
    ON CONFLICT (DeploymentId) DO NOTHING;
    GET DIAGNOSTICS affected = ROW_COUNT;
    RETURN QUERY SELECT affected;
END
$$;

-- Bumps the deployment's table version when it is still p_version; otherwise raises assert_failure, which the
-- callers below turn into a rollback of both changes and a 0.
CREATE FUNCTION journeys_membership_bump(p_deployment varchar, p_version integer)
RETURNS void LANGUAGE plpgsql AS
$$
BEGIN
    UPDATE OrleansMembershipVersionTable
       SET Version = Version + 1, Timestamp = now()
     WHERE DeploymentId = p_deployment AND Version = p_version AND Version < 2147483647;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'membership version moved' USING ERRCODE = 'assert_failure';
    END IF;
END
$$;

-- Adds a silo row and bumps the table version, both or neither: 1 on success, 0 when the version moved
-- or the row exists.
CREATE FUNCTION journeys_membership_insert(
    p_deployment varchar, p_address varchar, p_port integer, p_generation integer, p_silo_name varchar,
    p_host_name varchar, p_status integer, p_proxy_port integer, p_start_time timestamptz,
    p_i_am_alive_time timestamptz, p_version integer)
RETURNS TABLE (row_count integer) LANGUAGE plpgsql AS
$$
DECLARE affected integer;
BEGIN
    BEGIN
        PERFORM journeys_membership_bump(p_deployment, p_version);

        INSERT INTO OrleansMembershipTable
            (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
        VALUES
            (p_deployment, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status, p_proxy_port,
             p_start_time, p_i_am_alive_time)
        ON CONFLICT DO NOTHING;
        GET DIAGNOSTICS affected = ROW_COUNT;
        IF affected = 0 THEN
            RAISE EXCEPTION 'membership row exists' USING ERRCODE = 'assert_failure';
        END IF;

        RETURN QUERY SELECT 1;
    EXCEPTION WHEN assert_failure THEN
        RETURN QUERY SELECT 0;
    END;
END
$$;

-- Updates a silo row and bumps the table version, both or neither.
CREATE FUNCTION journeys_membership_update(
    p_deployment varchar, p_address varchar, p_port integer, p_generation integer, p_status integer,
    p_suspect_times varchar, p_i_am_alive_time timestamptz, p_version integer)
RETURNS TABLE (row_count integer) LANGUAGE plpgsql AS
$$
DECLARE affected integer;
BEGIN
    BEGIN
        PERFORM journeys_membership_bump(p_deployment, p_version);

        UPDATE OrleansMembershipTable
           SET Status = p_status, SuspectTimes = p_suspect_times, IAmAliveTime = p_i_am_alive_time
         WHERE DeploymentId = p_deployment AND Address = p_address AND Port = p_port AND Generation = p_generation;
        GET DIAGNOSTICS affected = ROW_COUNT;
        IF affected = 0 THEN
            RAISE EXCEPTION 'membership row missing' USING ERRCODE = 'assert_failure';
        END IF;

        RETURN QUERY SELECT 1;
    EXCEPTION WHEN assert_failure THEN
        RETURN QUERY SELECT 0;
    END;
END
$$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey',
 'SELECT row_count FROM journeys_membership_version_insert(@DeploymentId);'),
('InsertMembershipKey',
 'SELECT row_count FROM journeys_membership_insert(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
     @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);'),
('UpdateMembershipKey',
 'SELECT row_count FROM journeys_membership_update(@DeploymentId, @Address, @Port, @Generation, @Status,
     @SuspectTimes, @IAmAliveTime, @Version);'),
('UpdateIAmAlivetimeKey',
 'UPDATE OrleansMembershipTable SET IAmAliveTime = GREATEST(IAmAliveTime, @IAmAliveTime)
   WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;'),
('MembershipReadRowKey',
 'SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
         m.SuspectTimes, m.MetadataJson, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m
      ON m.DeploymentId = v.DeploymentId AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
   WHERE v.DeploymentId = @DeploymentId;'),
('MembershipReadAllKey',
 'SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
         m.SuspectTimes, m.MetadataJson, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
   WHERE v.DeploymentId = @DeploymentId;'),
('GatewaysQueryKey',
 'SELECT Address, ProxyPort, Generation FROM OrleansMembershipTable
   WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;'),
('DeleteMembershipTableEntriesKey',
 'DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
  DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;'),
('CleanupDefunctSiloEntriesKey',
 'DELETE FROM OrleansMembershipTable
   WHERE DeploymentId = @DeploymentId AND IAmAliveTime < @IAmAliveTime AND Status <> 3;');
