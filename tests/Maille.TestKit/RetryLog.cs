using System.Collections.Concurrent;
using Xunit.Abstractions;

namespace Maille.TestKit;

/// <summary>
/// What a test asked again, and what it got each time. A test that retries says so: every retry is counted and
/// named, written to the test's output as it happens, and summed up for the assertion messages, so a retry cannot
/// hide what it retried (a silent "ask once more" once hid a real bug). Safe to record from parallel probes.
/// </summary>
internal sealed class RetryLog(ITestOutputHelper? output = null)
{
    private readonly ConcurrentQueue<string> _retries = new();
    private int _changed;

    /// <summary>How many times something was asked again.</summary>
    public int Count => _retries.Count;

    /// <summary>How many retries got another answer than the first attempt.</summary>
    public int Changed => Volatile.Read(ref _changed);

    /// <summary>Records that <paramref name="what"/> was asked again: the first answer, and the answer of the retry.</summary>
    public void Record(string what, string first, string retried)
    {
        var line = $"retried {what}: first {first}, then {retried}";
        _retries.Enqueue(line);
        if (first != retried)
        {
            Interlocked.Increment(ref _changed);
        }

        output?.WriteLine("[retry] " + line);
    }

    public override string ToString() => Count == 0
        ? "nothing retried"
        : $"{Count} retried ({Changed} answered otherwise the second time): {string.Join("; ", _retries.Take(20))}{(Count > 20 ? $"; and {Count - 20} more" : "")}";
}
