using Journeys.Orleans.Domain;
using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;
using Journeys.Orleans.Telemetry;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Journeys.Orleans.Persistence.PostgreSql;

/// <summary>
/// The event outbox as rows of <c>journeys_event_outbox</c> and <c>journeys_dead_letters</c>, changed in group commits.
/// The deletes of sent payloads, the most frequent change, have their own batches: the removals of every partition of
/// this silo that wait meanwhile go in one round trip and one commit (<see cref="Batcher{TItem,TResult}"/>), a statement
/// per destination that also counts the deliveries per partition. Each partition's delete had been a statement in a
/// shared group commit of one or two statements, so there were nearly as many commits (and WAL flushes) as deletes.
/// </summary>
public sealed class PostgresEventOutbox(
    NpgsqlDataSource dataSource, PostgresGroupCommit groupCommit, string serviceId, JourneysMetrics metrics, ILogger<PostgresEventOutbox> logger)
    : IEventOutbox, IAsyncDisposable
{
    /// <summary>
    /// Deletes one destination's sent rows and counts them per partition; $1 to $3 are the service, the destination and
    /// the message ids. Planned for each batch's ids (see <c>UseJourneysPostgres</c>), like the one statement per
    /// partition it replaces.
    /// </summary>
    private const string RemoveSent = """
        WITH gone AS (
          DELETE FROM journeys_event_outbox WHERE service_id = $1 AND destination_id = $2 AND message_id = ANY($3)
          RETURNING partition),
        counted AS (
          INSERT INTO journeys_delivery_counts (service_id, destination_id, partition, delivered)
          SELECT $1, $2, partition, count(*) FROM gone GROUP BY partition
          RETURNING 1)
        SELECT count(*)::integer FROM gone
        """;

    /// <summary>Message ids one statement deletes at most.</summary>
    private const int RemovedPerStatement = 5000;

    private readonly Batcher<Removal, bool> _removals = new(
        batch => RemoveAsync(dataSource, serviceId, batch), logger, writers: 2, RemovedPerStatement, removal => removal.MessageIds.Count,
        (callers, elapsed) => metrics.Committed("outbox_removals", callers, elapsed));

    public Task RemoveAsync(string destinationId, int partition, IReadOnlyList<string> messageIds) =>
        messageIds.Count == 0 ? Task.CompletedTask : _removals.RunAsync(new Removal(destinationId, messageIds));

    public ValueTask DisposeAsync() => _removals.DisposeAsync();

    /// <summary>One statement per destination, all in one round trip and one implicit transaction (one commit).</summary>
    private static async Task<IReadOnlyList<bool>> RemoveAsync(NpgsqlDataSource dataSource, string serviceId, IReadOnlyList<Removal> batch)
    {
        await using var command = dataSource.CreateBatch();
        foreach (var destination in batch.GroupBy(r => r.DestinationId, StringComparer.Ordinal))
        {
            command.BatchCommands.Add(new NpgsqlBatchCommand(RemoveSent)
            {
                Parameters =
                {
                    new NpgsqlParameter { Value = serviceId },
                    new NpgsqlParameter { Value = destination.Key },
                    new NpgsqlParameter { Value = destination.SelectMany(r => r.MessageIds).ToArray() },
                },
            });
        }
        await command.ExecuteNonQueryAsync();
        return batch.Select(_ => true).ToList();
    }

    /// <summary>One partition's sent payloads whose rows go.</summary>
    private sealed record Removal(string DestinationId, IReadOnlyList<string> MessageIds);

    public Task RescheduleAsync(string destinationId, int partition, OutboxEntry entry) =>
        groupCommit.ExecuteAsync([new Statement(
            "WITH scheduled AS (UPDATE journeys_event_outbox SET attempts = $5, first_attempt_at = $6, next_attempt_at = $7 " +
            "WHERE service_id = $1 AND destination_id = $2 AND message_id = $4 RETURNING 1), " + Count("retries", "scheduled") +
            " SELECT 1 FROM scheduled",
            serviceId, destinationId, partition, entry.Payload.MessageId, entry.Attempts, entry.FirstAttemptAt, entry.NextAttemptAt)]);

    public async Task<DeliveryCounters> LoadCountersAsync(string destinationId, int partition)
    {
        // Folds the partition's increments into one row as it reads them: only this partition writes them.
        await using var command = dataSource.Command(
            "WITH old AS (DELETE FROM journeys_delivery_counts WHERE service_id = $1 AND destination_id = $2 AND partition = $3 " +
            "RETURNING delivered, retries, skipped), " +
            "total AS (SELECT coalesce(sum(delivered), 0)::bigint AS delivered, coalesce(sum(retries), 0)::bigint AS retries, " +
            "coalesce(sum(skipped), 0)::bigint AS skipped FROM old), " +
            "folded AS (INSERT INTO journeys_delivery_counts (service_id, destination_id, partition, delivered, retries, skipped) " +
            "SELECT $1, $2, $3, delivered, retries, skipped FROM total RETURNING 1) " +
            "SELECT delivered, retries, skipped FROM total",
            serviceId, destinationId, partition);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new DeliveryCounters(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>
    /// A CTE that records, as one increment of <paramref name="column"/>, how many rows the CTE <paramref name="rows"/>
    /// changed; parameters $1 to $3 are the service, destination and partition.
    /// </summary>
    private static string Count(string column, string rows) =>
        $"counted AS (INSERT INTO journeys_delivery_counts (service_id, destination_id, partition, {column}) " +
        $"SELECT $1, $2, $3, count(*) FROM {rows} HAVING count(*) > 0 RETURNING 1)";

    public Task DeadLetterAsync(string destinationId, int partition, OutgoingPayload payload, DeadLetter letter) =>
        groupCommit.ExecuteAsync([
            new Statement(
                "INSERT INTO journeys_dead_letters (service_id, destination_id, message_id, partition, user_key, payload, status, reason, response, attempts, failed_at) " +
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING RETURNING 1",
                serviceId, destinationId, payload.MessageId, partition, payload.UserKey, payload.Json,
                letter.Status, letter.Reason, letter.Response, letter.Attempts, letter.FailedAt),
            new Statement(
                "DELETE FROM journeys_event_outbox WHERE service_id = $1 AND destination_id = $2 AND message_id = $3 RETURNING 1",
                serviceId, destinationId, payload.MessageId),
        ]);

    public Task<IReadOnlyList<OutboxEntry>> LoadAsync(string destinationId, int partition) => ReadAsync(dataSource.Command(
        "SELECT message_id, user_key, payload, attempts, first_attempt_at, next_attempt_at, enqueued_at, trace_parent FROM journeys_event_outbox " +
        "WHERE service_id = $1 AND destination_id = $2 AND partition = $3 ORDER BY enqueued",
        serviceId, destinationId, partition));

    public Task<IReadOnlyList<OutboxEntry>> LoadUserAsync(string destinationId, int partition, string userKey) => ReadAsync(dataSource.Command(
        "SELECT message_id, user_key, payload, attempts, first_attempt_at, next_attempt_at, enqueued_at, trace_parent FROM journeys_event_outbox " +
        "WHERE service_id = $1 AND destination_id = $2 AND partition = $3 AND user_key = $4 ORDER BY enqueued",
        serviceId, destinationId, partition, userKey));

    private static async Task<IReadOnlyList<OutboxEntry>> ReadAsync(NpgsqlCommand query)
    {
        await using var command = query;
        var entries = new List<OutboxEntry>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            entries.Add(new OutboxEntry(
                Payload(reader.GetString(0), reader.GetString(1), reader.GetString(2)) with
                {
                    AcceptedAt = reader.GetFieldValue<DateTimeOffset>(6),
                    TraceParent = reader.IsDBNull(7) ? null : reader.GetString(7),
                },
                reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5)));
        }
        return entries;
    }

    public async Task<IReadOnlyList<(OutgoingPayload Payload, DeadLetter Letter)>> LoadDeadLettersAsync(string destinationId, int partition)
    {
        await using var command = dataSource.Command(
            "SELECT message_id, user_key, payload, status, reason, response, attempts, failed_at FROM journeys_dead_letters " +
            "WHERE service_id = $1 AND destination_id = $2 AND partition = $3 ORDER BY failed_at, message_id",
            serviceId, destinationId, partition);
        var letters = new List<(OutgoingPayload, DeadLetter)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var messageId = reader.GetString(0);
            var userKey = reader.GetString(1);
            letters.Add((Payload(messageId, userKey, reader.GetString(2)), new DeadLetter(
                messageId, userKey,
                reader.IsDBNull(3) ? null : reader.GetInt32(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetInt32(6),
                reader.GetFieldValue<DateTimeOffset>(7))));
        }
        return letters;
    }

    public Task ReplayAsync(string destinationId, int partition, IReadOnlyList<OutgoingPayload> payloads, IReadOnlyList<string> skippedMessageIds) =>
        payloads.Count == 0 && skippedMessageIds.Count == 0 ? Task.CompletedTask : groupCommit.ExecuteAsync(
            payloads.Select(p => Insert(destinationId, partition, p))
                .Append(new Statement(
                    "WITH gone AS (DELETE FROM journeys_dead_letters WHERE service_id = $1 AND destination_id = $2 " +
                    "AND message_id = ANY($3) RETURNING 1) SELECT count(*)::integer FROM gone",
                    serviceId, destinationId, payloads.Select(p => p.MessageId).ToArray()))
                .Append(new Statement(
                    "WITH gone AS (DELETE FROM journeys_dead_letters WHERE service_id = $1 AND destination_id = $2 " +
                    "AND message_id = ANY($4) RETURNING 1), " + Count("skipped", "gone") + " SELECT count(*)::integer FROM gone",
                    serviceId, destinationId, partition, skippedMessageIds.ToArray()))
                .ToList());

    private Statement Insert(string destinationId, int partition, OutgoingPayload payload) => new(
        "INSERT INTO journeys_event_outbox (service_id, destination_id, message_id, partition, user_key, payload, trace_parent) " +
        "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING 1",
        serviceId, destinationId, payload.MessageId, partition, payload.UserKey, payload.Json, payload.TraceParent);

    private static OutgoingPayload Payload(string messageId, string userKey, string json) =>
        new(messageId, json.StartsWith("{\"type\":\"track\"", StringComparison.Ordinal) ? CallType.Track : CallType.Identify, userKey, json);
}
