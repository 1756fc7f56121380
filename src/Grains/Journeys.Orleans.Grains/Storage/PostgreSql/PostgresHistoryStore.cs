using Journeys.Orleans.Telemetry.History;
using Npgsql;
using NpgsqlTypes;

namespace Journeys.Orleans.Persistence.PostgreSql;

/// <summary>
/// The per-minute counts in <c>journeys_delivery_minutes</c> and <c>journeys_flow_minutes</c> (script 0010): a flush
/// is one transaction of two upserts, each a single statement over arrays, that add the silo's counts into the rows
/// of the same minutes — so silos flushing the same minute add up rather than overwrite. Rows are taken in key order,
/// so two silos flushing at once lock them in the same order and cannot deadlock.
/// </summary>
public sealed class PostgresHistoryStore(NpgsqlDataSource dataSource, string serviceId) : IHistoryStore
{
    private const string AddDeliveries = """
        INSERT INTO journeys_delivery_minutes AS t (service_id, destination_id, minute, delivered, retried, failed, latency)
        SELECT $1, u.destination_id, u.minute, u.delivered, u.retried, u.failed, ($7::bigint[])[(u.i - 1) * $8 + 1 : u.i * $8]
        FROM unnest($2::text[], $3::timestamptz[], $4::bigint[], $5::bigint[], $6::bigint[])
             WITH ORDINALITY AS u(destination_id, minute, delivered, retried, failed, i)
        ORDER BY u.destination_id, u.minute
        ON CONFLICT (service_id, destination_id, minute) DO UPDATE SET
            delivered = t.delivered + excluded.delivered,
            retried = t.retried + excluded.retried,
            failed = t.failed + excluded.failed,
            latency = ARRAY(SELECT coalesce(a, 0) + coalesce(b, 0)
                            FROM unnest(t.latency, excluded.latency) WITH ORDINALITY AS x(a, b, n) ORDER BY n)
        """;

    private const string AddFlow = """
        INSERT INTO journeys_flow_minutes AS t (service_id, journey_id, minute, counter, count)
        SELECT $1, u.journey_id, u.minute, u.counter, u.count
        FROM unnest($2::text[], $3::timestamptz[], $4::text[], $5::bigint[]) AS u(journey_id, minute, counter, count)
        ORDER BY u.journey_id, u.minute, u.counter
        ON CONFLICT (service_id, journey_id, minute, counter) DO UPDATE SET count = t.count + excluded.count
        """;

    public async Task AddAsync(HistoryBatch batch, CancellationToken cancellationToken = default)
    {
        if (batch.IsEmpty) return;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlBatch(connection, transaction);
        if (batch.Deliveries.Count > 0)
        {
            var d = batch.Deliveries;
            var width = LatencyHistogram.BucketCount;
            var latency = new long[d.Count * width];
            for (var i = 0; i < d.Count; i++) d[i].Latency.AsSpan(0, Math.Min(width, d[i].Latency.Length)).CopyTo(latency.AsSpan(i * width));
            command.BatchCommands.Add(Command(AddDeliveries,
                serviceId, d.Select(m => m.DestinationId).ToArray(), d.Select(m => m.Minute.UtcDateTime).ToArray(),
                d.Select(m => m.Delivered).ToArray(), d.Select(m => m.Retried).ToArray(), d.Select(m => m.Failed).ToArray(), latency, width));
        }
        if (batch.Flow.Count > 0)
        {
            var f = batch.Flow;
            command.BatchCommands.Add(Command(AddFlow,
                serviceId, f.Select(m => m.JourneyId).ToArray(), f.Select(m => m.Minute.UtcDateTime).ToArray(),
                f.Select(m => m.Counter).ToArray(), f.Select(m => m.Count).ToArray()));
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DeliveryMinute>> ReadDeliveriesAsync(string destinationId, DateTimeOffset from, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.Command(
            "SELECT minute, delivered, retried, failed, latency FROM journeys_delivery_minutes " +
            "WHERE service_id = $1 AND destination_id = $2 AND minute >= $3::timestamptz ORDER BY minute",
            serviceId, destinationId, from.ToUniversalTime());
        var rows = new List<DeliveryMinute>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new DeliveryMinute(destinationId, new DateTimeOffset(reader.GetDateTime(0), TimeSpan.Zero),
                reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetFieldValue<long[]>(4)));
        return rows;
    }

    public async Task<IReadOnlyList<FlowMinute>> ReadFlowAsync(string journeyId, DateTimeOffset from, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.Command(
            "SELECT minute, counter, count FROM journeys_flow_minutes " +
            "WHERE service_id = $1 AND journey_id = $2 AND minute >= $3::timestamptz ORDER BY minute, counter",
            serviceId, journeyId, from.ToUniversalTime());
        var rows = new List<FlowMinute>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new FlowMinute(journeyId, new DateTimeOffset(reader.GetDateTime(0), TimeSpan.Zero), reader.GetString(1), reader.GetInt64(2)));
        return rows;
    }

    public async Task PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(Command("DELETE FROM journeys_delivery_minutes WHERE service_id = $1 AND minute < $2", serviceId, before.UtcDateTime));
        batch.BatchCommands.Add(Command("DELETE FROM journeys_flow_minutes WHERE service_id = $1 AND minute < $2", serviceId, before.UtcDateTime));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in parameters)
            command.Parameters.Add(value is DateTime or DateTime[]
                ? new NpgsqlParameter { Value = value, NpgsqlDbType = value is DateTime ? NpgsqlDbType.TimestampTz : NpgsqlDbType.Array | NpgsqlDbType.TimestampTz }
                : new NpgsqlParameter { Value = value });
        return command;
    }
}
