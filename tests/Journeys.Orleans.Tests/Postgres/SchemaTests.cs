using Journeys.Orleans.Persistence.PostgreSql;
using Journeys.Orleans.Tests.Support;
using Npgsql;

namespace Journeys.Orleans.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class SchemaTests
{
    [Fact]
    public async Task An_empty_database_gets_every_script_and_an_initialised_one_gets_none()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var migrator = new SchemaMigrator(dataSource);

        var first = await migrator.MigrateAsync();
        var second = await migrator.MigrateAsync();

        Assert.Equal(Enumerable.Range(1, SchemaMigrator.CodeVersion), first);
        Assert.Empty(second);
        Assert.Equal(SchemaMigrator.CodeVersion, await migrator.ReadVersionAsync());
        // Every query key the three Orleans providers require is there.
        var keys = await PostgresServer.ScalarAsync<long>(connectionString, "SELECT count(*) FROM OrleansQuery");
        Assert.Equal(9 + 4 + 7, keys);
    }

    [Fact]
    public async Task Silos_migrating_at_once_apply_each_script_exactly_once()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        var dataSources = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(connectionString)).ToList();

        var results = await Task.WhenAll(dataSources.Select(ds => Task.Run(() => new SchemaMigrator(ds).MigrateAsync())));

        Assert.Equal(Enumerable.Range(1, SchemaMigrator.CodeVersion), results.SelectMany(r => r).Order());
        Assert.Equal(1, results.Count(r => r.Count > 0));
        Assert.Equal(SchemaMigrator.CodeVersion, await PostgresServer.ScalarAsync<long>(connectionString, "SELECT count(*) FROM journeys_schema_version"));
        foreach (var ds in dataSources) await ds.DisposeAsync();
    }

    [Fact]
    public async Task The_index_and_wake_up_rows_an_older_version_kept_among_list_members_move_to_their_own_tables()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new SchemaMigrator(dataSource).MigrateAsync();
        // The database as version 10 left it: the index (ix_<space>) and the wake-up buckets (wk_<space>) among list members.
        await PostgresServer.ExecuteAsync(connectionString, """
            DROP TABLE journeys_space_index; DROP TABLE journeys_wake_ups; DELETE FROM journeys_schema_version WHERE version >= 11;
            INSERT INTO journeys_list_members (service_id, destination_id, step_id, user_key, user_id, anonymous_id, epoch, since) VALUES
              ('svc', 'ix_spa_old', 'stp_a', 'u:ada', 'ada', 'anon-1', 3, '2026-01-02T03:04:05Z'),
              ('svc', 'ix_spa_old', 'users', 'u:ada', 'ada', NULL, 1, '2026-01-01T00:00:00Z'),
              ('svc', 'wk_spa_old', '29500000/3', 'u:bob', 'bob', NULL, 1, '2026-01-01T00:00:00Z'),
              ('svc', 'dst_list', 'stp_a', 'u:ada', 'ada', NULL, 1, '2026-01-01T00:00:00Z')
            """);

        var applied = await new SchemaMigrator(dataSource).MigrateAsync();

        Assert.Contains(11, applied);
        Assert.Equal("spa_old|stp_a|u:ada|ada|anon-1|3|2026-01-02 03:04:05+00, spa_old|users|u:ada|ada||1|2026-01-01 00:00:00+00",
            await PostgresServer.ScalarAsync<string>(connectionString,
                "SELECT string_agg(concat_ws('|', space_id, step_id, user_key, user_id, coalesce(anonymous_id, ''), epoch, " +
                "to_char(since AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00'), ', ' ORDER BY step_id) FROM journeys_space_index"));
        Assert.Equal("spa_old|29500000/3|u:bob", await PostgresServer.ScalarAsync<string>(connectionString,
            "SELECT string_agg(concat_ws('|', space_id, bucket, user_key), ', ') FROM journeys_wake_ups"));
        Assert.Equal("dst_list", await PostgresServer.ScalarAsync<string>(connectionString, "SELECT string_agg(destination_id, ', ') FROM journeys_list_members"));
    }

    [Fact]
    public async Task A_database_newer_than_the_code_is_refused_and_left_alone()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new SchemaMigrator(dataSource).MigrateAsync();
        await PostgresServer.ExecuteAsync(connectionString, "INSERT INTO journeys_schema_version (version, name) VALUES (999, '0999_from_the_future.sql')");

        var error = await Assert.ThrowsAsync<SchemaTooNewException>(() => new SchemaMigrator(dataSource).MigrateAsync());

        Assert.Equal(999, error.DatabaseVersion);
        Assert.Contains("newer than this build", error.Message);
        Assert.Equal(SchemaMigrator.CodeVersion + 1, await PostgresServer.ScalarAsync<long>(connectionString, "SELECT count(*) FROM journeys_schema_version"));
    }

    [Fact]
    public async Task A_membership_write_with_a_stale_version_changes_nothing_even_with_asserts_off()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new SchemaMigrator(dataSource).MigrateAsync();
        await PostgresServer.ExecuteAsync(connectionString, $"ALTER DATABASE {new NpgsqlConnectionStringBuilder(connectionString).Database} SET plpgsql.check_asserts = off");
        await PostgresServer.ExecuteAsync(connectionString, "SELECT journeys_membership_version_insert('d')");

        const string insert = "SELECT row_count FROM journeys_membership_insert('d', '127.0.0.1', 1, 1, 's', 'h', 1, 2, now(), now(), {0})";
        var stale = await PostgresServer.ScalarAsync<int>(connectionString, string.Format(insert, 7));
        var rowsAfterStale = await PostgresServer.ScalarAsync<long>(connectionString, "SELECT count(*) FROM OrleansMembershipTable");
        var current = await PostgresServer.ScalarAsync<int>(connectionString, string.Format(insert, 0));
        var again = await PostgresServer.ScalarAsync<int>(connectionString, string.Format(insert, 1));

        Assert.Equal(0, stale);
        Assert.Equal(0, rowsAfterStale);
        Assert.Equal(1, current);
        Assert.Equal(0, again);
        Assert.Equal(1, await PostgresServer.ScalarAsync<int>(connectionString, "SELECT Version FROM OrleansMembershipVersionTable"));
    }
}
