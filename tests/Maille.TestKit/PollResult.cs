namespace Maille.TestKit;

/// <summary>
/// How a <see cref="Poll"/> ended: met or not, the last value seen, and every attempt (when, and what it saw). Its text
/// is meant for an assertion message: <c>Assert.True(waited.Met, waited.ToString())</c>.
/// </summary>
internal sealed record PollResult<T>(string What, bool Met, T Last, IReadOnlyList<string> Attempts, TimeSpan Elapsed)
{
    public override string ToString() => Met
        ? $"{What}: met at attempt {Attempts.Count}, after {Elapsed.TotalSeconds:F1} s"
        : $"{What}: not met after {Attempts.Count} attempts over {Elapsed.TotalSeconds:F1} s; the last ones: {string.Join("; ", Attempts.TakeLast(5))}";
}
