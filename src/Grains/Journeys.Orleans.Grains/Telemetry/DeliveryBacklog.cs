using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Journeys.Orleans.Telemetry;

/// <summary>
/// What the event destination partitions active on this silo hold unsent, as each last reported it. Partitions report
/// from their own grain turns; the gauges read here on the exporter's thread, so a partition's queue is never read from
/// outside its grain.
/// </summary>
public sealed class DeliveryBacklog(TimeProvider clock)
{
    private readonly ConcurrentDictionary<(string Destination, int Partition), Held> _partitions = new();

    /// <summary>A partition holds <paramref name="depth"/> payloads, the oldest accepted at <paramref name="oldestAcceptedAt"/>.</summary>
    public void Report(string destinationId, int partition, int depth, DateTimeOffset? oldestAcceptedAt)
    {
        if (depth == 0) _partitions.TryRemove((destinationId, partition), out _);
        else _partitions[(destinationId, partition)] = new Held(depth, oldestAcceptedAt);
    }

    /// <summary>The partition left this silo; another silo's copy reports from now on.</summary>
    public void Forget(string destinationId, int partition) => _partitions.TryRemove((destinationId, partition), out _);

    internal IEnumerable<Measurement<long>> Depths() =>
        _partitions.GroupBy(p => p.Key.Destination, StringComparer.Ordinal)
            .Select(d => new Measurement<long>(d.Sum(p => (long)p.Value.Depth), new KeyValuePair<string, object?>("destination", d.Key)));

    internal IEnumerable<Measurement<double>> OldestAges()
    {
        var now = clock.GetUtcNow();
        return _partitions.GroupBy(p => p.Key.Destination, StringComparer.Ordinal)
            .Select(d => new Measurement<double>(
                d.Max(p => p.Value.OldestAcceptedAt is { } at ? Math.Max(0, (now - at).TotalSeconds) : 0),
                new KeyValuePair<string, object?>("destination", d.Key)));
    }

    private sealed record Held(int Depth, DateTimeOffset? OldestAcceptedAt);
}
