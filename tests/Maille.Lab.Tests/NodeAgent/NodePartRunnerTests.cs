using Maille.Engine;
using Maille.Lab.NodeAgents;
using Maille.TestKit;

namespace Maille.Lab.Tests.NodeAgents;

// The runner with a fake part and a manual clock: the clock moves only when a test advances it, so every interval is
// exact. The runner's thread is real, so a test waits (in real time, bounded) for it to react; it advances the clock
// only once the runner sleeps (its timer armed), so that no wait is measured from the wrong moment.
// Options: minimum interval 50 ms, full sync every 60 s, retry after 1 s doubling to 8 s.
public sealed class NodePartRunnerTests : IDisposable
{
    private static readonly ClusterState AB = Pods("a", "b");
    private static readonly ClusterState ABC = Pods("a", "b", "c");
    private static readonly ClusterState AC = Pods("a", "c");

    private static readonly NodePartRunnerOptions Options = new()
    {
        MinInterval = TimeSpan.FromMilliseconds(50),
        FullSyncInterval = TimeSpan.FromSeconds(60),
        RetryInterval = TimeSpan.FromSeconds(1),
        MaxRetryInterval = TimeSpan.FromSeconds(8),
    };

    private readonly ManualTimeProvider _clock = new();
    private readonly FakePart _part;
    private readonly NodePartRunner _runner;
    private readonly DateTimeOffset _start;

    public NodePartRunnerTests()
    {
        _start = _clock.GetUtcNow();
        _part = new FakePart(_clock);
        _runner = new NodePartRunner("node-1", _part, Options, _clock);
    }

    public void Dispose() => _runner.Dispose();

    [Fact]
    public async Task Requests_during_a_sync_are_coalesced_into_one_more_sync_of_the_latest_state()
    {
        using var hold = new ManualResetEventSlim();
        _part.Hold = hold;
        _runner.Request(AB);
        Until(() => _runner.Status.RequestedGeneration == 1 && _part.Hold is null, "the first sync to start");
        _runner.Request(ABC);
        _runner.Request(AB);
        var last = _runner.Request(AC);
        hold.Set();

        Sleeping();
        _clock.Advance(Options.MinInterval);
        var status = await _runner.WaitAsync(last).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal([["default/a", "default/b"], ["default/a", "default/c"]], _part.Calls.Select(c => c.Desired));
        Assert.Equal((2, 4, 3), (status.Syncs, status.SyncedGeneration, status.CoalescedRequests));
        Assert.Equal(["default/a", "default/c"], _part.KernelNow());
    }

    [Fact]
    public async Task The_minimum_interval_bounds_a_burst_but_never_delays_a_change_after_a_quiet_spell()
    {
        await _runner.SyncAsync(AB).WaitAsync(TimeSpan.FromSeconds(5));
        Sleeping();
        _clock.Advance(TimeSpan.FromMilliseconds(10));
        var second = _runner.Request(ABC);
        Sleeping();
        Assert.Single(_part.Calls);   // 10 ms after the first: it waits until 50 ms

        _clock.Advance(TimeSpan.FromMilliseconds(40));
        await _runner.WaitAsync(second).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(_start + TimeSpan.FromMilliseconds(50), _part.Calls[1].At);

        // Quiet for a second, then a change: it runs at once, with no clock movement at all.
        Sleeping();
        _clock.Advance(TimeSpan.FromSeconds(1));
        Sleeping();
        await _runner.SyncAsync(AC).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(_start + TimeSpan.FromSeconds(1.05), _part.Calls[2].At);
        Assert.Equal([true, false, false], _part.Calls.Select(c => c.Full));
    }

    [Fact]
    public async Task A_periodic_full_sync_repairs_drift_that_partial_syncs_never_see()
    {
        await _runner.SyncAsync(AB).WaitAsync(TimeSpan.FromSeconds(5));
        _part.Tamper("default/b");

        // The same state again: the part believes the node holds it, so nothing is written.
        Sleeping();
        _clock.Advance(TimeSpan.FromSeconds(1));
        var again = await _runner.SyncAsync(AB).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal((false, 0), (again.LastSyncWasFull, again.LastCommandCount));
        Assert.Equal(["default/a"], _part.KernelNow());

        Sleeping();
        _clock.Advance(TimeSpan.FromSeconds(58.999));
        Sleeping();
        Assert.Equal(2, _part.Calls.Count);   // not yet: 60 s after the first (full) sync
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Until(() => _runner.Status.FullSyncs == 2, "the periodic full sync");

        Assert.Equal(["default/a", "default/b"], _part.KernelNow());
        Assert.Equal(_start + Options.FullSyncInterval, _part.Calls[2].At);
        Assert.True(_part.Calls[2].Full);
        Assert.Equal(_start + Options.FullSyncInterval, _runner.Status.LastFullSyncAt);
    }

    [Fact]
    public async Task A_failed_sync_is_retried_with_a_doubling_backoff_until_the_part_recovers()
    {
        _part.FailuresToCome = 3;
        var failed = await _runner.SyncAsync(AB).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(("refused", 1, 1), (failed.LastError, failed.FailedSyncs, failed.ConsecutiveFailures));
        Assert.Equal(_start + TimeSpan.FromSeconds(1), failed.NextRetryAt);

        foreach (var (wait, attempts) in new[] { (1, 2), (2, 3), (4, 4) })
        {
            Sleeping();
            _clock.Advance(TimeSpan.FromSeconds(wait) - TimeSpan.FromMilliseconds(1));
            Sleeping();
            Assert.Equal(attempts - 1, _part.Calls.Count);   // not a millisecond early
            _clock.Advance(TimeSpan.FromMilliseconds(1));
            Until(() => _part.Calls.Count == attempts && _runner.Status.Syncs + _runner.Status.FailedSyncs == attempts, $"attempt {attempts}");
        }

        var status = _runner.Status;
        Assert.Equal([0, 1, 3, 7], _part.Calls.Select(c => (c.At - _start).TotalSeconds));
        Assert.Equal((1, 3, 0, null, null), (status.Syncs, status.FailedSyncs, status.ConsecutiveFailures, status.LastError, status.NextRetryAt));
        Assert.True(status.LastSyncWasFull);   // the first sync after a failure writes everything
        Assert.Equal(["default/a", "default/b"], _part.KernelNow());
    }

    [Fact]
    public async Task A_paused_runner_syncs_nothing_and_once_resumed_syncs_the_latest_state_in_full()
    {
        await _runner.SyncAsync(AB).WaitAsync(TimeSpan.FromSeconds(5));
        _runner.Pause();
        var asked = _runner.Request(AC);
        Sleeping();
        _clock.Advance(TimeSpan.FromSeconds(120));   // past a full-sync interval too
        Sleeping();
        Assert.Single(_part.Calls);
        Assert.Equal(1, _runner.Status.SyncedGeneration);

        _runner.Resume();
        Until(() => _part.Calls.Count == 2, "the sync after resuming");
        Assert.Equal(new FakeSync(_start + TimeSpan.FromSeconds(120), true, ["default/a", "default/c"]), _part.Calls[1], FakeSyncComparer.Instance);
        Assert.True((await _runner.WaitAsync(asked)).SyncedGeneration > asked);
    }

    [Fact]
    public async Task The_status_carries_the_parts_details_and_a_waiter_gets_the_sync_that_covered_its_request()
    {
        var generation = _runner.Request(ABC);
        var status = await _runner.WaitAsync(generation).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(3, Assert.IsType<FakeDetails>(status.Details).Entries);
        Assert.Equal((1, 1, 3), (status.SyncedGeneration, status.FullSyncs, status.LastCommandCount));
        Assert.Equal(_start, status.LastSyncAt);
    }

    private static ClusterState Pods(params string[] names) =>
        Cluster.Valid(string.Join("---\n", names.Select(n => $"apiVersion: v1\nkind: Pod\nmetadata: {{name: {n}}}\nspec: {{containers: [{{name: c}}]}}\n")));

    /// <summary>Waits until the runner sleeps on the clock (it has armed its timer), so that advancing the clock wakes it.</summary>
    private void Sleeping() => Until(() => _runner.Asleep, "the runner to sleep");

    /// <summary>Polls <paramref name="condition"/> every 2 ms for at most 5 s; a failure says what was awaited and how many times it was checked.</summary>
    private static void Until(Func<bool> condition, string what)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var checks = 0;
        while (!condition())
        {
            checks++;
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"waited 5 s ({checks} checks) for {what}");
            Thread.Sleep(2);
        }
    }

    private sealed class FakeSyncComparer : IEqualityComparer<FakeSync>
    {
        public static readonly FakeSyncComparer Instance = new();

        public bool Equals(FakeSync? x, FakeSync? y) => x is not null && y is not null && x.At == y.At && x.Full == y.Full && x.Desired.SequenceEqual(y.Desired);

        public int GetHashCode(FakeSync obj) => obj.At.GetHashCode();
    }
}
