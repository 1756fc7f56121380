namespace Journeys.Orleans.Telemetry.History;

/// <summary>
/// This silo's delivery and journey-flow counts per minute since the last flush, fed where <see cref="JourneysMetrics"/>
/// records (no grain call, no I/O, no allocation once a minute's entry exists: a short lock and a dictionary entry per
/// event) and taken every few seconds by <see cref="HistoryFlusher"/>, which adds them into the store all silos share.
/// </summary>
public sealed class HistoryAggregator(TimeProvider clock)
{
    private readonly Lock _lock = new();
    private Dictionary<(string Destination, DateTimeOffset Minute), DeliveryCell> _deliveries = [];
    private Dictionary<FlowMove, long> _flow = [];

    // Flow counts of a batch the store did not take, by name: merged into the next batch.
    private Dictionary<(string Journey, DateTimeOffset Minute, string Counter), long> _returnedFlow = [];

    /// <summary>The minute <paramref name="at"/> falls in (UTC, seconds dropped).</summary>
    public static DateTimeOffset MinuteOf(DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        return new DateTimeOffset(ticks - ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
    }

    public void Delivered(string destinationId, TimeSpan? latency)
    {
        lock (_lock)
        {
            var cell = Cell(destinationId);
            cell.Delivered++;
            if (latency is { } l) cell.Latency[LatencyHistogram.BucketOf(Math.Max(0, l.TotalSeconds))]++;
        }
    }

    public void Retried(string destinationId)
    {
        lock (_lock) Cell(destinationId).Retried++;
    }

    public void Failed(string destinationId)
    {
        lock (_lock) Cell(destinationId).Failed++;
    }

    /// <summary>Counts one move of a journey's flow in the minute it happened.</summary>
    public void Flow(FlowMove move)
    {
        var key = move with { At = MinuteOf(move.At) };
        lock (_lock) _flow[key] = _flow.GetValueOrDefault(key) + 1;
    }

    /// <summary>Everything counted since the last take, and starts counting afresh.</summary>
    public HistoryBatch Take()
    {
        Dictionary<(string, DateTimeOffset), DeliveryCell> deliveries;
        Dictionary<FlowMove, long> flow;
        Dictionary<(string, DateTimeOffset, string), long> returned;
        lock (_lock)
        {
            (deliveries, _deliveries) = (_deliveries, []);
            (flow, _flow) = (_flow, []);
            (returned, _returnedFlow) = (_returnedFlow, []);
        }
        foreach (var (move, count) in flow)
        {
            var key = (move.JourneyId, move.At, move.Counter);
            returned[key] = returned.GetValueOrDefault(key) + count;
        }
        return new HistoryBatch(
            deliveries.Select(d => new DeliveryMinute(d.Key.Item1, d.Key.Item2, d.Value.Delivered, d.Value.Retried, d.Value.Failed, d.Value.Latency))
                .OrderBy(d => d.DestinationId, StringComparer.Ordinal).ThenBy(d => d.Minute).ToList(),
            returned.Select(f => new FlowMinute(f.Key.Item1, f.Key.Item2, f.Key.Item3, f.Value))
                .OrderBy(f => f.JourneyId, StringComparer.Ordinal).ThenBy(f => f.Minute).ThenBy(f => f.Counter, StringComparer.Ordinal).ToList());
    }

    /// <summary>
    /// Puts back a batch the store did not take, so the next flush writes it with what came since. Minutes before
    /// <paramref name="keepFrom"/> (older than the history keeps) are dropped: a store that keeps refusing must not make
    /// the silo hold every minute since.
    /// </summary>
    public void Return(HistoryBatch batch, DateTimeOffset keepFrom = default)
    {
        lock (_lock)
        {
            foreach (var minute in batch.Deliveries.Where(m => m.Minute >= keepFrom))
            {
                var key = (minute.DestinationId, minute.Minute);
                if (!_deliveries.TryGetValue(key, out var cell)) _deliveries[key] = cell = new DeliveryCell();
                cell.Delivered += minute.Delivered;
                cell.Retried += minute.Retried;
                cell.Failed += minute.Failed;
                LatencyHistogram.Sum(cell.Latency, minute.Latency);
            }
            foreach (var flow in batch.Flow.Where(f => f.Minute >= keepFrom))
            {
                var key = (flow.JourneyId, flow.Minute, flow.Counter);
                _returnedFlow[key] = _returnedFlow.GetValueOrDefault(key) + flow.Count;
            }
        }
    }

    private DeliveryCell Cell(string destinationId)
    {
        var key = (destinationId, MinuteOf(clock.GetUtcNow()));
        if (!_deliveries.TryGetValue(key, out var cell)) _deliveries[key] = cell = new DeliveryCell();
        return cell;
    }

    private sealed class DeliveryCell
    {
        public long Delivered;
        public long Retried;
        public long Failed;
        public readonly long[] Latency = new long[LatencyHistogram.BucketCount];
    }
}
