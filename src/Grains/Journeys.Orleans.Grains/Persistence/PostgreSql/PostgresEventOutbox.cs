using Journeys.Orleans.Domain;
using Journeys.Orleans.Payloads;
using Npgsql;

namespace Journeys.Orleans.Persistence.PostgreSql;

/// <summary>The event outbox as rows of <c>journeys_event_outbox</c>, appended and removed in group commits.</summary>
public sealed class PostgresEventOutbox(NpgsqlDataSource dataSource, PostgresGroupCommit groupCommit, string serviceId) : IEventOutbox
{
    public Task AppendAsync(string destinationId, int partition, IReadOnlyList<OutgoingPayload> payloads) =>
        payloads.Count == 0 ? Task.CompletedTask : groupCommit.ExecuteAsync(payloads.Select(p => new Statement(
            "INSERT INTO journeys_event_outbox (service_id, destination_id, message_id, partition, user_key, payload) " +
            "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING 1",
            serviceId, destinationId, p.MessageId, partition, p.UserKey, p.Json)).ToList());

    public Task RemoveAsync(string destinationId, IReadOnlyList<string> messageIds) =>
        messageIds.Count == 0 ? Task.CompletedTask : groupCommit.ExecuteAsync([new Statement(
            "WITH gone AS (DELETE FROM journeys_event_outbox WHERE service_id = $1 AND destination_id = $2 " +
            "AND message_id = ANY($3) RETURNING 1) SELECT count(*)::integer FROM gone",
            serviceId, destinationId, messageIds.ToArray())]);

    public async Task<IReadOnlyList<OutgoingPayload>> LoadAsync(string destinationId, int partition)
    {
        await using var command = dataSource.Command(
            "SELECT message_id, user_key, payload FROM journeys_event_outbox " +
            "WHERE service_id = $1 AND destination_id = $2 AND partition = $3 ORDER BY enqueued",
            serviceId, destinationId, partition);
        var payloads = new List<OutgoingPayload>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var json = reader.GetString(2);
            var callType = json.StartsWith("{\"type\":\"track\"", StringComparison.Ordinal) ? CallType.Track : CallType.Identify;
            payloads.Add(new OutgoingPayload(reader.GetString(0), callType, reader.GetString(1), json));
        }
        return payloads;
    }
}
