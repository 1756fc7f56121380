using Journeys.Orleans.Persistence.PostgreSql;
using Journeys.Orleans.Tests.Support;
using Npgsql;

namespace Journeys.Orleans.Tests.Postgres;

/// <summary>
/// Silos on PostgreSQL keep the delivery and journey-flow history in its tables: what two silos counted adds up in the
/// same minute rows, and a stop writes what was counted since the last flush.
/// </summary>
public sealed class HistoryFlushTests
{
    [Fact]
    public async Task Two_silos_add_their_counts_to_the_same_rows_and_a_stop_writes_what_is_left()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        await using (var dataSource = NpgsqlDataSource.Create(connectionString)) await new SchemaMigrator(dataSource).MigrateAsync();
        // Flushed every 10 minutes: within the test only a stop can write what the silos counted.
        await using var cluster = await PostgresCluster.StartAsync(connectionString, "journeys-history", historyFlushInterval: TimeSpan.FromMinutes(10));
        var scenario = await FirstPurchase.CreateAsync(cluster.Journeys);
        var recorder = await scenario.AddRecorderAsync();
        await cluster.Journeys.ConnectAsync(scenario.OpenedEmail.Id, recorder.Id, new Model.ConnectionSettings { SendIdentify = false });
        await scenario.PublishAsync();
        var users = Enumerable.Range(0, 40).Select(i => $"hist-{i:D2}").ToList();
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (user, _) => await scenario.EnterOpenedEmailAsync(user));
        var drained = await Pipeline.DrainedAsync(cluster.Journeys, recorder.Id, 40, TimeSpan.FromSeconds(60));
        var silosThatDelivered = cluster.Cluster.Silos.Count;
        var beforeStop = await PostgresServer.ScalarAsync<long>(connectionString, "SELECT count(*) FROM journeys_delivery_minutes");

        await cluster.StopAsync();
        var delivered = await PostgresServer.ScalarAsync<long>(connectionString,
            $"SELECT coalesce(sum(delivered), 0)::bigint FROM journeys_delivery_minutes WHERE destination_id = '{recorder.Id}'");
        var latencies = await PostgresServer.ScalarAsync<long>(connectionString,
            $"SELECT coalesce(sum(b), 0)::bigint FROM journeys_delivery_minutes, unnest(latency) AS b WHERE destination_id = '{recorder.Id}'");
        var entered = await PostgresServer.ScalarAsync<long>(connectionString,
            $"SELECT coalesce(sum(count), 0)::bigint FROM journeys_flow_minutes WHERE journey_id = '{scenario.Journey.Id}' AND counter = 'entered'");
        var enteredSend = await PostgresServer.ScalarAsync<long>(connectionString,
            $"SELECT coalesce(sum(count), 0)::bigint FROM journeys_flow_minutes WHERE journey_id = '{scenario.Journey.Id}' AND counter = 'step_in:{scenario.OpenedEmail.Id}'");

        Assert.Equal(0, beforeStop);
        Assert.Equal(40, drained.Delivered);
        Assert.Equal(2, silosThatDelivered);
        Assert.Equal(40, delivered);
        Assert.Equal(40, latencies);
        Assert.Equal(40, entered);
        Assert.Equal(40, enteredSend);
    }
}
