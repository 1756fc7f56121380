using System.Diagnostics;
using System.Diagnostics.Metrics;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Telemetry;

/// <summary>
/// The project's own instruments, on the meter <see cref="MeterName"/>: what came in, what moved, what went out and how
/// long it took. Created through <see cref="IMeterFactory"/>, so each host (a silo, a test cluster) has its own meter
/// and an exporter sees only its silo. Without a listener an instrument costs a branch, so the hot path records always.
/// Deliveries and journey moves are also counted per minute for the pages' charts (<see cref="History.HistoryAggregator"/>).
/// </summary>
public sealed class JourneysMetrics
{
    public const string MeterName = "Journeys.Orleans";

    // From a millisecond to an hour: a receiver answering at once, one retried for minutes, one that was down.
    private static readonly double[] LatencyBuckets = [.. History.LatencyHistogram.Bounds];
    private static readonly double[] CommitBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];
    private static readonly int[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048];

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _transitions;
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _deliveryLatency;
    private readonly Histogram<int> _commitBatchSize;
    private readonly Histogram<double> _commitDuration;

    private readonly History.HistoryAggregator? _history;

    public JourneysMetrics(IMeterFactory meters, DeliveryBacklog backlog, History.HistoryAggregator? history = null)
    {
        _history = history;
        var meter = meters.Create(MeterName);
        _accepted = meter.CreateCounter<long>("journeys.events.accepted", "{event}", "Segment calls accepted (stored), by call type");
        _refused = meter.CreateCounter<long>("journeys.events.refused", "{event}",
            "Segment calls or requests refused, by reason: invalid, unauthorized, unsupported_encoding, storage_unavailable, failed");
        _transitions = meter.CreateCounter<long>("journeys.transitions", "{transition}", "Users entering or leaving a step, by journey and direction");
        _deliveries = meter.CreateCounter<long>("journeys.deliveries", "{payload}",
            "Payloads an event destination's receiver answered, by destination and outcome: delivered, retried, dead_lettered");
        _deliveryLatency = meter.CreateHistogram("journeys.delivery.latency", "s",
            "From the event that caused a payload being accepted to the receiver's answer that delivered it, retries included",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _commitBatchSize = meter.CreateHistogram("journeys.commit.batch_size", "{item}",
            "Callers written by one group commit, by store",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchBuckets });
        _commitDuration = meter.CreateHistogram("journeys.commit.duration", "s",
            "How long one group commit took, round trip included, by store",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CommitBuckets });
        meter.CreateObservableGauge("journeys.outbox.depth", backlog.Depths, "{payload}",
            "Payloads an event destination's partitions on this silo hold unsent, by destination");
        meter.CreateObservableGauge("journeys.outbox.oldest_age", backlog.OldestAges, "s",
            "Age of the oldest payload an event destination's partitions on this silo hold unsent, by destination");
    }

    public void EventAccepted(string callType) => _accepted.Add(1, new KeyValuePair<string, object?>("type", callType));

    public void EventsRefused(string reason, int count = 1) => _refused.Add(count, new KeyValuePair<string, object?>("reason", reason));

    public void Transition(Transition transition)
    {
        _transitions.Add(1,
            new KeyValuePair<string, object?>("journey", transition.JourneyId),
            new KeyValuePair<string, object?>("direction", transition.Direction == TransitionDirection.Entered ? "entered" : "exited"));
        _history?.Flow(new History.FlowMove(transition.JourneyId,
            transition.Direction == TransitionDirection.Entered ? History.FlowKind.StepEntered : History.FlowKind.StepExited,
            transition.OccurredAt, transition.StepId));
    }

    /// <summary>A user entered a journey, took a split's branch or exited a journey (counted for the journey page only).</summary>
    public void Flow(History.FlowMove move) => _history?.Flow(move);

    public void Delivered(string destinationId, TimeSpan? sinceAccepted)
    {
        _deliveries.Add(1, Destination(destinationId), new KeyValuePair<string, object?>("outcome", "delivered"));
        if (sinceAccepted is { } latency) _deliveryLatency.Record(Math.Max(0, latency.TotalSeconds), Destination(destinationId));
        _history?.Delivered(destinationId, sinceAccepted);
    }

    public void Retried(string destinationId)
    {
        _deliveries.Add(1, Destination(destinationId), new KeyValuePair<string, object?>("outcome", "retried"));
        _history?.Retried(destinationId);
    }

    public void DeadLettered(string destinationId)
    {
        _deliveries.Add(1, Destination(destinationId), new KeyValuePair<string, object?>("outcome", "dead_lettered"));
        _history?.Failed(destinationId);
    }

    /// <summary>One group commit of <paramref name="store"/> wrote <paramref name="callers"/> callers in <paramref name="elapsed"/>.</summary>
    public void Committed(string store, int callers, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("store", store);
        _commitBatchSize.Record(callers, tag);
        _commitDuration.Record(elapsed.TotalSeconds, tag);
    }

    private static KeyValuePair<string, object?> Destination(string destinationId) => new("destination", destinationId);
}
