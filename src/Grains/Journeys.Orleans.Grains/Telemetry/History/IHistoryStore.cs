namespace Journeys.Orleans.Telemetry.History;

/// <summary>
/// Where the silos' per-minute delivery and journey-flow counts are kept: chosen once at host set-up (in memory on the
/// embedded default, a PostgreSQL table with a connection string). Adding is additive: several silos flushing the same
/// minute add into one row.
/// </summary>
public interface IHistoryStore
{
    /// <summary>Adds the counts of <paramref name="batch"/> to what is stored for the same minutes.</summary>
    Task AddAsync(HistoryBatch batch, CancellationToken cancellationToken = default);

    /// <summary>A destination's minutes from <paramref name="from"/> on, oldest first.</summary>
    Task<IReadOnlyList<DeliveryMinute>> ReadDeliveriesAsync(string destinationId, DateTimeOffset from, CancellationToken cancellationToken = default);

    /// <summary>A journey's flow counters per minute from <paramref name="from"/> on, oldest first.</summary>
    Task<IReadOnlyList<FlowMinute>> ReadFlowAsync(string journeyId, DateTimeOffset from, CancellationToken cancellationToken = default);

    /// <summary>Forgets the minutes before <paramref name="before"/>.</summary>
    Task PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}

/// <summary>The embedded default: the counts live in this silo's memory (lost when it stops, as everything else there).</summary>
public sealed class MemoryHistoryStore : IHistoryStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string, DateTimeOffset), DeliveryMinute> _deliveries = [];
    private readonly Dictionary<(string, DateTimeOffset, string), FlowMinute> _flow = [];

    public Task AddAsync(HistoryBatch batch, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            foreach (var minute in batch.Deliveries)
            {
                var key = (minute.DestinationId, minute.Minute);
                _deliveries[key] = _deliveries.TryGetValue(key, out var stored) ? stored.Plus(minute) : minute with { Latency = (long[])minute.Latency.Clone() };
            }
            foreach (var flow in batch.Flow)
            {
                var key = (flow.JourneyId, flow.Minute, flow.Counter);
                _flow[key] = _flow.TryGetValue(key, out var stored) ? stored with { Count = stored.Count + flow.Count } : flow;
            }
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DeliveryMinute>> ReadDeliveriesAsync(string destinationId, DateTimeOffset from, CancellationToken cancellationToken = default)
    {
        lock (_lock)
            return Task.FromResult<IReadOnlyList<DeliveryMinute>>(_deliveries.Values
                .Where(m => m.DestinationId == destinationId && m.Minute >= from).OrderBy(m => m.Minute).ToList());
    }

    public Task<IReadOnlyList<FlowMinute>> ReadFlowAsync(string journeyId, DateTimeOffset from, CancellationToken cancellationToken = default)
    {
        lock (_lock)
            return Task.FromResult<IReadOnlyList<FlowMinute>>(_flow.Values
                .Where(m => m.JourneyId == journeyId && m.Minute >= from).OrderBy(m => m.Minute).ThenBy(m => m.Counter, StringComparer.Ordinal).ToList());
    }

    public Task PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            foreach (var key in _deliveries.Keys.Where(k => k.Item2 < before).ToList()) _deliveries.Remove(key);
            foreach (var key in _flow.Keys.Where(k => k.Item2 < before).ToList()) _flow.Remove(key);
        }
        return Task.CompletedTask;
    }
}
