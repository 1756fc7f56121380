using Journeys.Orleans.Model;

namespace Journeys.Orleans.Telemetry.History;

/// <summary>A window the pages chart: its name in a query string, how far back it reaches, and the width of one point.</summary>
public sealed record HistoryWindow(string Name, TimeSpan Length, TimeSpan Step)
{
    public static HistoryWindow Hour { get; } = new("1h", TimeSpan.FromHours(1), TimeSpan.FromMinutes(1));

    public static HistoryWindow Day { get; } = new("24h", TimeSpan.FromDays(1), TimeSpan.FromMinutes(10));

    public static IReadOnlyList<HistoryWindow> All { get; } = [Hour, Day];

    /// <summary>The window in words, for people: "last hour", "last day".</summary>
    public string Label => Length <= TimeSpan.FromHours(1) ? "last hour" : "last day";

    /// <summary>
    /// The window a caller named (<c>1h</c> or <c>24h</c>), <paramref name="otherwise"/> when none is named; an unknown name
    /// is a validation error naming the <c>window</c> field.
    /// </summary>
    public static HistoryWindow Chosen(string? name, HistoryWindow otherwise) =>
        (string.IsNullOrEmpty(name) ? otherwise : All.FirstOrDefault(w => w.Name == name))
        ?? throw new JourneysValidationException("window", $"must be one of {string.Join(", ", All.Select(w => w.Name))} (got '{name}')");

    /// <summary>
    /// The window's first minute and the minute after its last: the window ends with the point that holds the minute of
    /// <paramref name="now"/>, and its points start at whole multiples of <see cref="Step"/> (10:00, 10:10, … for a day).
    /// </summary>
    public (DateTimeOffset From, DateTimeOffset To) Span(DateTimeOffset now)
    {
        var minute = HistoryAggregator.MinuteOf(now);
        var to = new DateTimeOffset(minute.UtcTicks - minute.UtcTicks % Step.Ticks, TimeSpan.Zero) + Step;
        return (to - Length, to);
    }

    /// <summary>How many points the window has.</summary>
    public int Points => (int)(Length / Step);
}

/// <summary>One point of a destination's chart: what its receivers answered from <see cref="Start"/> for one step of the window.</summary>
public sealed record DeliveryPoint(DateTimeOffset Start, long Delivered, long Retried, long Failed, double? P50Seconds, double? P99Seconds);

/// <summary>
/// What one event destination's receivers answered over a window, point by point and in total; latencies are
/// percentiles of the summed histogram buckets, in seconds (null when nothing was delivered).
/// </summary>
public sealed record DeliverySeries(
    string DestinationId, string Window, DateTimeOffset From, DateTimeOffset To, TimeSpan Step,
    IReadOnlyList<DeliveryPoint> Points, long Delivered, long Retried, long Failed, double? P50Seconds, double? P99Seconds)
{
    /// <summary>Folds stored <paramref name="minutes"/> into the points of <paramref name="window"/> ending now; minutes outside it are left out.</summary>
    public static DeliverySeries Of(string destinationId, HistoryWindow window, DateTimeOffset now, IEnumerable<DeliveryMinute> minutes)
    {
        var (from, to) = window.Span(now);
        var count = window.Points;
        var delivered = new long[count];
        var retried = new long[count];
        var failed = new long[count];
        var latency = new long[count][];
        var total = new long[LatencyHistogram.BucketCount];
        foreach (var minute in minutes)
        {
            if (minute.Minute < from || minute.Minute >= to) continue;
            var i = (int)((minute.Minute - from) / window.Step);
            delivered[i] += minute.Delivered;
            retried[i] += minute.Retried;
            failed[i] += minute.Failed;
            latency[i] = LatencyHistogram.Sum(latency[i] ?? new long[LatencyHistogram.BucketCount], minute.Latency);
            total = LatencyHistogram.Sum(total, minute.Latency);
        }
        var points = Enumerable.Range(0, count).Select(i => new DeliveryPoint(
            from + window.Step * i, delivered[i], retried[i], failed[i],
            latency[i] is { } l ? LatencyHistogram.Percentile(l, 0.5) : null,
            latency[i] is { } m ? LatencyHistogram.Percentile(m, 0.99) : null)).ToList();
        return new DeliverySeries(destinationId, window.Name, from, to, window.Step, points,
            delivered.Sum(), retried.Sum(), failed.Sum(), LatencyHistogram.Percentile(total, 0.5), LatencyHistogram.Percentile(total, 0.99));
    }
}

/// <summary>
/// A journey's flow over a window, summed from its stored per-minute counters: users who entered it, entered and left
/// each step, took each branch of each split (by branch index), and exited it, by reason (<c>exit_event</c>,
/// <c>exit_time</c>, <c>archived</c>, <c>finished</c>).
/// </summary>
public sealed record JourneyFlow(
    string JourneyId, string Window, DateTimeOffset From, DateTimeOffset To, long Entered,
    IReadOnlyDictionary<string, long> StepEntered, IReadOnlyDictionary<string, long> StepExited,
    IReadOnlyDictionary<string, IReadOnlyList<long>> Branches, IReadOnlyDictionary<string, long> Exits)
{
    public long Exited => Exits.Values.Sum();

    public long EnteredStep(string stepId) => StepEntered.GetValueOrDefault(stepId);

    public long ExitedStep(string stepId) => StepExited.GetValueOrDefault(stepId);

    public long BranchTaken(string splitStepId, int branch) =>
        Branches.TryGetValue(splitStepId, out var counts) && branch < counts.Count ? counts[branch] : 0;

    public static JourneyFlow Of(string journeyId, HistoryWindow window, DateTimeOffset now, IEnumerable<FlowMinute> minutes)
    {
        var (from, to) = window.Span(now);
        long entered = 0;
        var stepIn = new Dictionary<string, long>();
        var stepOut = new Dictionary<string, long>();
        var branches = new Dictionary<string, List<long>>();
        var exits = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var minute in minutes)
        {
            if (minute.Minute < from || minute.Minute >= to) continue;
            var counter = minute.Counter;
            if (counter == FlowCounters.Entered) entered += minute.Count;
            else if (After(counter, FlowCounters.StepInPrefix) is { } inStep) stepIn[inStep] = stepIn.GetValueOrDefault(inStep) + minute.Count;
            else if (After(counter, FlowCounters.StepOutPrefix) is { } outStep) stepOut[outStep] = stepOut.GetValueOrDefault(outStep) + minute.Count;
            else if (After(counter, FlowCounters.ExitPrefix) is { } reason) exits[reason] = exits.GetValueOrDefault(reason) + minute.Count;
            else if (After(counter, FlowCounters.BranchPrefix) is { } branch && branch.LastIndexOf(':') is var colon and > 0
                     && int.TryParse(branch.AsSpan(colon + 1), out var index) && index is >= 0 and < 1000)
            {
                var splitId = branch[..colon];
                if (!branches.TryGetValue(splitId, out var counts)) branches[splitId] = counts = [];
                while (counts.Count <= index) counts.Add(0);
                counts[index] += minute.Count;
            }
        }
        return new JourneyFlow(journeyId, window.Name, from, to, entered, stepIn, stepOut,
            branches.ToDictionary(b => b.Key, b => (IReadOnlyList<long>)b.Value), exits);
    }

    private static string? After(string counter, string prefix) => counter.StartsWith(prefix, StringComparison.Ordinal) ? counter[prefix.Length..] : null;
}

/// <summary>The series the pages and the management API show, read from a history store.</summary>
public static class HistoryReads
{
    /// <summary>A destination's delivery history over <paramref name="window"/>.</summary>
    public static async Task<DeliverySeries> SeriesAsync(this IHistoryStore history, string destinationId, HistoryWindow window, DateTimeOffset now) =>
        DeliverySeries.Of(destinationId, window, now, await history.ReadDeliveriesAsync(destinationId, window.Span(now).From));

    /// <summary>A journey's flow over <paramref name="window"/>, from the stored per-minute counters.</summary>
    public static async Task<JourneyFlow> FlowAsync(this IHistoryStore history, string journeyId, HistoryWindow window, DateTimeOffset now) =>
        JourneyFlow.Of(journeyId, window, now, await history.ReadFlowAsync(journeyId, window.Span(now).From));
}
