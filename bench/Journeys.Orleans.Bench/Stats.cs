namespace Journeys.Orleans.Bench;

internal static class Stats
{
    /// <summary>The value at <paramref name="p"/> (0 to 1) of ascending <paramref name="sorted"/>; NaN when empty.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
}
