namespace Journeys.Orleans.Telemetry.History;

/// <summary>
/// This silo's delivery and journey-flow counts per minute since the last flush, fed where <see cref="JourneysMetrics"/>
/// records (no grain call, no I/O: a short lock and a dictionary entry per event) and taken every few seconds by
/// <see cref="HistoryFlusher"/>, which adds them into the store all silos share.
/// </summary>
public sealed class HistoryAggregator(TimeProvider clock)
{
    private readonly Lock _lock = new();
    private Dictionary<(string Destination, DateTimeOffset Minute), DeliveryCell> _deliveries = [];
    private Dictionary<(string Journey, DateTimeOffset Minute, string Counter), long> _flow = [];

    /// <summary>The minute <paramref name="at"/> falls in (UTC, seconds dropped).</summary>
    public static DateTimeOffset MinuteOf(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
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
        var key = (move.JourneyId, MinuteOf(move.At), move.Counter);
        lock (_lock) _flow[key] = _flow.GetValueOrDefault(key) + 1;
    }

    /// <summary>Everything counted since the last take, and starts counting afresh.</summary>
    public HistoryBatch Take()
    {
        Dictionary<(string, DateTimeOffset), DeliveryCell> deliveries;
        Dictionary<(string, DateTimeOffset, string), long> flow;
        lock (_lock)
        {
            (deliveries, _deliveries) = (_deliveries, []);
            (flow, _flow) = (_flow, []);
        }
        return new HistoryBatch(
            deliveries.Select(d => new DeliveryMinute(d.Key.Item1, d.Key.Item2, d.Value.Delivered, d.Value.Retried, d.Value.Failed, d.Value.Latency))
                .OrderBy(d => d.DestinationId, StringComparer.Ordinal).ThenBy(d => d.Minute).ToList(),
            flow.Select(f => new FlowMinute(f.Key.Item1, f.Key.Item2, f.Key.Item3, f.Value))
                .OrderBy(f => f.JourneyId, StringComparer.Ordinal).ThenBy(f => f.Minute).ThenBy(f => f.Counter, StringComparer.Ordinal).ToList());
    }

    /// <summary>Puts back a batch the store did not take, so the next flush writes it with what came since.</summary>
    public void Return(HistoryBatch batch)
    {
        lock (_lock)
        {
            foreach (var minute in batch.Deliveries)
            {
                var key = (minute.DestinationId, minute.Minute);
                if (!_deliveries.TryGetValue(key, out var cell)) _deliveries[key] = cell = new DeliveryCell();
                cell.Delivered += minute.Delivered;
                cell.Retried += minute.Retried;
                cell.Failed += minute.Failed;
                LatencyHistogram.Sum(cell.Latency, minute.Latency);
            }
            foreach (var flow in batch.Flow)
            {
                var key = (flow.JourneyId, flow.Minute, flow.Counter);
                _flow[key] = _flow.GetValueOrDefault(key) + flow.Count;
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
