using Journeys.Orleans.Persistence.PostgreSql;
using Journeys.Orleans.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Journeys.Orleans.Tests.Postgres;

/// <summary>
/// The deletes of sent payloads of many partitions and destinations go together: each removes exactly its own rows and
/// counts them as delivered for its own partition, and a payload not yet sent stays.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OutboxRemovalTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Removals_of_several_destinations_and_partitions_together_delete_and_count_each_their_own()
    {
        var outbox = fixture.Cluster.SiloServices.GetRequiredService<PostgresEventOutbox>();
        var (first, second) = ("dst_r" + Guid.NewGuid().ToString("N")[..8], "dst_s" + Guid.NewGuid().ToString("N")[..8]);
        var before = await Task.WhenAll(
            outbox.LoadCountersAsync(first, 0), outbox.LoadCountersAsync(first, 1), outbox.LoadCountersAsync(second, 0));

        // Rows as a user's commit writes them: three of the first destination's partition 0, two of its partition 1,
        // one of the second's partition 0, and one that is not sent yet.
        var rows = new (string Destination, int Partition, string MessageId)[]
        {
            (first, 0, "m-a"), (first, 0, "m-b"), (first, 0, "m-c"), (first, 1, "m-d"), (first, 1, "m-e"), (second, 0, "m-a"), (first, 0, "m-unsent"),
        };
        await using (var connection = new NpgsqlConnection(fixture.ConnectionString))
        {
            await connection.OpenAsync();
            foreach (var (destination, partition, messageId) in rows)
            {
                await using var insert = new NpgsqlCommand(
                    "INSERT INTO journeys_event_outbox (service_id, destination_id, message_id, partition, user_key, payload) VALUES ($1, $2, $3, $4, 'u:r', '{}')",
                    connection)
                {
                    Parameters = { new() { Value = fixture.Cluster.ServiceId }, new() { Value = destination }, new() { Value = messageId }, new() { Value = partition } },
                };
                await insert.ExecuteNonQueryAsync();
            }
        }

        // Handed over at once, as partitions that all had answers do: they share the batches that are free.
        await Task.WhenAll(
            outbox.RemoveAsync(first, 0, ["m-a", "m-b", "m-c"]),
            outbox.RemoveAsync(first, 1, ["m-d", "m-e"]),
            outbox.RemoveAsync(second, 0, ["m-a"]));

        var left = await Task.WhenAll(
            outbox.LoadAsync(first, 0), outbox.LoadAsync(first, 1), outbox.LoadAsync(second, 0));
        var after = await Task.WhenAll(
            outbox.LoadCountersAsync(first, 0), outbox.LoadCountersAsync(first, 1), outbox.LoadCountersAsync(second, 0));

        Assert.Equal(["m-unsent"], left[0].Select(e => e.Payload.MessageId));
        Assert.Empty(left[1]);
        Assert.Empty(left[2]);
        Assert.Equal([3L, 2L, 1L], after.Zip(before, (a, b) => a.Delivered - b.Delivered));
    }
}
