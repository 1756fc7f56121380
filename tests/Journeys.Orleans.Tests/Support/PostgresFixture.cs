using Journeys.Orleans.Persistence.PostgreSql;
using Npgsql;

namespace Journeys.Orleans.Tests.Support;

/// <summary>One migrated database and one two-silo PostgreSQL cluster, shared by the collection's tests.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    public PostgresCluster Cluster { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await PostgresServer.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await new SchemaMigrator(dataSource).MigrateAsync();
        Cluster = await PostgresCluster.StartAsync(ConnectionString, "journeys-shared");
    }

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
