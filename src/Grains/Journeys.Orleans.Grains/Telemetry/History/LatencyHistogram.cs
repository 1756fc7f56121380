namespace Journeys.Orleans.Telemetry.History;

/// <summary>
/// Delivery latency kept as counts in fixed buckets, so that minutes recorded by several silos add up and a percentile
/// over an hour or a day is read from the summed buckets. The bounds are the latency histogram's of
/// <see cref="JourneysMetrics"/>: from 5 ms to an hour, and one more bucket for anything longer.
/// </summary>
public static class LatencyHistogram
{
    /// <summary>Upper bounds, in seconds, of every bucket but the last (which holds everything above the last bound).</summary>
    public static IReadOnlyList<double> Bounds { get; } = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

    /// <summary>How many buckets a minute keeps: one per bound, and the overflow.</summary>
    public static int BucketCount => Bounds.Count + 1;

    /// <summary>The bucket of a latency of <paramref name="seconds"/>: the first whose bound is at least it.</summary>
    public static int BucketOf(double seconds)
    {
        for (var i = 0; i < Bounds.Count; i++)
            if (seconds <= Bounds[i]) return i;
        return Bounds.Count;
    }

    /// <summary>Adds <paramref name="add"/> into <paramref name="into"/>, bucket by bucket (shorter arrays count as zeros).</summary>
    public static long[] Sum(long[] into, IReadOnlyList<long> add)
    {
        if (into.Length < add.Count) Array.Resize(ref into, add.Count);
        for (var i = 0; i < add.Count; i++) into[i] += add[i];
        return into;
    }

    /// <summary>
    /// The <paramref name="quantile"/> (0 to 1) of the latencies counted in <paramref name="buckets"/>, in seconds,
    /// interpolated linearly inside the bucket it falls in (as Prometheus' <c>histogram_quantile</c>); the overflow bucket
    /// answers the last bound. Null when nothing was counted.
    /// </summary>
    public static double? Percentile(IReadOnlyList<long> buckets, double quantile)
    {
        var total = buckets.Sum();
        if (total == 0) return null;
        var rank = Math.Clamp(quantile, 0, 1) * total;
        long below = 0;
        for (var i = 0; i < buckets.Count; i++)
        {
            var count = buckets[i];
            if (count > 0 && below + count >= rank)
            {
                if (i >= Bounds.Count) return Bounds[^1];
                var lower = i == 0 ? 0 : Bounds[i - 1];
                return lower + (Bounds[i] - lower) * Math.Max(0, rank - below) / count;
            }
            below += count;
        }
        return Bounds[^1];
    }
}
