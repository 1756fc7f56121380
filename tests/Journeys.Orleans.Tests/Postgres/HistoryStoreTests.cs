using Journeys.Orleans.Persistence.PostgreSql;
using Journeys.Orleans.Telemetry.History;
using Journeys.Orleans.Tests.Support;
using Npgsql;

namespace Journeys.Orleans.Tests.Postgres;

/// <summary>The history table in PostgreSQL: silos flushing the same minute add into one row.</summary>
public sealed class HistoryStoreTests
{
    private static readonly DateTimeOffset Minute = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Two_silos_writing_the_same_minute_add_their_counts_and_buckets()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new SchemaMigrator(dataSource).MigrateAsync();
        var first = new PostgresHistoryStore(dataSource, "svc");
        var second = new PostgresHistoryStore(dataSource, "svc");
        var otherService = new PostgresHistoryStore(dataSource, "another");
        static long[] Buckets(params (int Bucket, long Count)[] counts)
        {
            var buckets = new long[LatencyHistogram.BucketCount];
            foreach (var (bucket, count) in counts) buckets[bucket] = count;
            return buckets;
        }
        HistoryBatch Batch(long delivered, long[] latency, long entered) => new(
            [new DeliveryMinute("dst_a", Minute, delivered, 1, 0, latency), new DeliveryMinute("dst_a", Minute.AddMinutes(1), 1, 0, 1, Buckets((0, 1)))],
            [new FlowMinute("jrn_1", Minute, FlowCounters.Entered, entered), new FlowMinute("jrn_1", Minute, FlowCounters.Branch("stp_s", 1), 1)]);

        // Both silos flush at once, many times over: every count lands, none is overwritten, no deadlock.
        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? first : second).AddAsync(Batch(2, Buckets((3, 2), (16, 1)), 3))));
        await otherService.AddAsync(Batch(1000, Buckets((0, 1000)), 1000));

        var deliveries = await first.ReadDeliveriesAsync("dst_a", Minute);
        var flow = await second.ReadFlowAsync("jrn_1", Minute);
        var later = await first.ReadDeliveriesAsync("dst_a", Minute.AddMinutes(1));
        await first.PruneAsync(Minute.AddMinutes(1));
        var pruned = await first.ReadDeliveriesAsync("dst_a", Minute.AddHours(-1));

        Assert.Equal([(Minute, 20L, 10L, 0L), (Minute.AddMinutes(1), 10L, 0L, 10L)],
            deliveries.Select(d => (d.Minute, d.Delivered, d.Retried, d.Failed)));
        Assert.Equal(Buckets((3, 20), (16, 10)), deliveries[0].Latency);
        Assert.Equal(LatencyHistogram.BucketCount, deliveries[0].Latency.Length);
        Assert.Equal([(FlowCounters.Branch("stp_s", 1), 10L), (FlowCounters.Entered, 30L)],
            flow.Select(f => (f.Counter, f.Count)).OrderBy(f => f.Counter, StringComparer.Ordinal));
        Assert.Equal([Minute.AddMinutes(1)], later.Select(d => d.Minute));
        Assert.Equal([Minute.AddMinutes(1)], pruned.Select(d => d.Minute));
        Assert.Equal(1000, (await otherService.ReadDeliveriesAsync("dst_a", Minute)).First().Delivered);
    }
}
