using System.Diagnostics;
using Xunit.Abstractions;

namespace Maille.TestKit;

/// <summary>
/// Waiting in a test for something that happens in its own time (a daemon gone, a watch event, a resync, an address
/// that moved): the probe is asked every <c>interval</c> until it is met or <c>timeout</c> has passed. Every attempt is
/// written to the test's output when one is given, and the result counts the attempts and keeps what each one saw,
/// so a failure says how often and how long it waited and what it saw last, and a pass says how many attempts it took.
/// The caller asserts on <see cref="PollResult{T}.Met"/>: the wait itself never fails a test.
/// </summary>
internal static class Poll
{
    /// <summary>15 s: long enough for a lab's daemon on a loaded 2-core machine.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(300);

    /// <summary>Asks <paramref name="condition"/> until it holds.</summary>
    public static PollResult<bool> Until(string what, Func<bool> condition, ITestOutputHelper? output = null, TimeSpan? timeout = null, TimeSpan? interval = null) =>
        UntilAsync(what, () => Task.FromResult(condition()), met => met, output, timeout, interval).GetAwaiter().GetResult();

    /// <summary>Asks <paramref name="probe"/> until what it returns is <paramref name="met"/>.</summary>
    public static PollResult<T> Until<T>(string what, Func<T> probe, Func<T, bool> met, ITestOutputHelper? output = null, TimeSpan? timeout = null, TimeSpan? interval = null) =>
        UntilAsync(what, () => Task.FromResult(probe()), met, output, timeout, interval).GetAwaiter().GetResult();

    /// <summary>Asks <paramref name="condition"/> until it holds.</summary>
    public static Task<PollResult<bool>> UntilAsync(string what, Func<Task<bool>> condition, ITestOutputHelper? output = null, TimeSpan? timeout = null, TimeSpan? interval = null) =>
        UntilAsync(what, condition, met => met, output, timeout, interval);

    /// <summary>Asks <paramref name="probe"/> until what it returns is <paramref name="met"/>.</summary>
    public static async Task<PollResult<T>> UntilAsync<T>(string what, Func<Task<T>> probe, Func<T, bool> met, ITestOutputHelper? output = null, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var attempts = new List<string>();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe().ConfigureAwait(false);
            var done = met(value);
            var line = $"attempt {attempts.Count + 1} at {clock.Elapsed.TotalMilliseconds:F0} ms: {(done ? "met" : "not yet")}{(value is bool ? "" : $" ({value})")}";
            attempts.Add(line);
            output?.WriteLine($"[poll] {what}: {line}");
            if (done || clock.Elapsed >= limit)
            {
                return new PollResult<T>(what, done, value, attempts, clock.Elapsed);
            }

            await Task.Delay(interval ?? DefaultInterval).ConfigureAwait(false);
        }
    }
}
