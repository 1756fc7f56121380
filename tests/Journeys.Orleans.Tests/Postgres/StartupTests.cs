using System.Net.Http.Json;
using System.Text.Json;
using Journeys.Orleans.Persistence.PostgreSql;
using Journeys.Orleans.Tests.Support;
using Npgsql;

namespace Journeys.Orleans.Tests.Postgres;

/// <summary>The silo executable with a connection string: it prepares the database, or says plainly why it cannot.</summary>
[Collection(PostgresCollection.Name)]
public sealed class StartupTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task The_silo_initialises_an_empty_database_and_serves()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        await using var silo = SiloProcess.Start(connectionString);
        using var http = new HttpClient();

        JsonElement? health = null;
        var deadline = DateTime.UtcNow + ExitTimeout;
        while (health is null && DateTime.UtcNow < deadline)
        {
            try { health = await http.GetFromJsonAsync<JsonElement>(silo.Url + "/health"); }
            catch (HttpRequestException) { await Task.Delay(250); }
        }

        Assert.True(health.HasValue, "the silo never answered /health:\n" + silo.Output);
        Assert.Equal("postgresql", health.Value.GetProperty("storage").GetString());
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        Assert.Equal(SchemaMigrator.CodeVersion, await new SchemaMigrator(dataSource).ReadVersionAsync());
        Assert.Equal(1L, await PostgresServer.ScalarAsync<long>(connectionString, "SELECT count(*) FROM OrleansMembershipTable WHERE Status = 3"));
    }

    [Fact]
    public async Task An_unreachable_database_is_a_clear_error_at_start_up()
    {
        var closedPort = SiloProcess.FreePort();
        var connectionString = new NpgsqlConnectionStringBuilder(PostgresServer.AdminConnectionString) { Port = closedPort, Timeout = 5 }.ConnectionString;
        await using var silo = SiloProcess.Start(connectionString);

        var exitCode = await silo.WaitForExitAsync(ExitTimeout);

        Assert.Equal(3, exitCode);
        Assert.Contains($"Cannot reach PostgreSQL at 127.0.0.1:{closedPort}", silo.Output);
    }

    [Fact]
    public async Task A_wrong_password_is_a_clear_error_at_start_up()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(PostgresServer.AdminConnectionString) { Password = "not-the-password" }.ConnectionString;
        await using var silo = SiloProcess.Start(connectionString);

        var exitCode = await silo.WaitForExitAsync(ExitTimeout);

        Assert.Equal(3, exitCode);
        Assert.Contains("refused the credentials of user \"postgres\"", silo.Output);
        Assert.DoesNotContain("not-the-password", silo.Output);
    }

    [Fact]
    public async Task A_schema_newer_than_the_code_is_a_clear_error_at_start_up()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        await using (var dataSource = NpgsqlDataSource.Create(connectionString)) await new SchemaMigrator(dataSource).MigrateAsync();
        await PostgresServer.ExecuteAsync(connectionString, "INSERT INTO journeys_schema_version (version, name) VALUES (999, '0999_future.sql')");
        await using var silo = SiloProcess.Start(connectionString);

        var exitCode = await silo.WaitForExitAsync(ExitTimeout);

        Assert.Equal(3, exitCode);
        Assert.Contains("schema is at version 999, newer than this build", silo.Output);
    }

    [Fact]
    public async Task Init_db_prepares_the_database_and_exits()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        await using var silo = SiloProcess.Start(connectionString, "init-db");

        var exitCode = await silo.WaitForExitAsync(ExitTimeout);

        Assert.Equal(0, exitCode);
        Assert.Contains($"schema version {SchemaMigrator.CodeVersion}", silo.Output);
        Assert.Equal((long)SchemaMigrator.CodeVersion, await PostgresServer.ScalarAsync<long>(connectionString, "SELECT count(*) FROM journeys_schema_version"));
    }
}
