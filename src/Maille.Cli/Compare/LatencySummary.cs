namespace Maille.Cli.Compare;

/// <summary>The median and 99th percentile of a set of durations, in milliseconds (nearest rank).</summary>
internal sealed record LatencySummary(double P50Ms, double P99Ms, int Count)
{
    public static LatencySummary Of(IReadOnlyCollection<double> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            throw new ArgumentException("no duration was measured", nameof(milliseconds));
        }

        var sorted = milliseconds.Order().ToArray();
        return new LatencySummary(Rank(sorted, 0.50), Rank(sorted, 0.99), sorted.Length);
    }

    /// <summary>The nearest-rank percentile: the smallest value with at least <paramref name="fraction"/> of the set at or below it.</summary>
    private static double Rank(double[] sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
