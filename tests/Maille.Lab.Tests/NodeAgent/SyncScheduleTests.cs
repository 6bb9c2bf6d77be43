using Maille.Lab.NodeAgents;

namespace Maille.Lab.Tests.NodeAgents;

// The runner's decisions, handed times: minimum interval 50 ms, full sync every 60 s, retry after 1 s doubling to 8 s.
public sealed class SyncScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly NodePartRunnerOptions Options = new()
    {
        MinInterval = TimeSpan.FromMilliseconds(50),
        FullSyncInterval = TimeSpan.FromSeconds(60),
        RetryInterval = TimeSpan.FromSeconds(1),
        MaxRetryInterval = TimeSpan.FromSeconds(8),
    };

    [Fact]
    public void Nothing_runs_before_the_first_request_and_the_first_sync_is_full_and_immediate()
    {
        var schedule = new SyncSchedule(Options);
        Assert.Equal(SyncDecision.WaitFor(Timeout.InfiniteTimeSpan), schedule.Next(T0));

        schedule.Request(out var coalesced);
        Assert.False(coalesced);
        Assert.Equal(SyncDecision.Sync(full: true), schedule.Next(T0));
    }

    [Fact]
    public void A_request_after_a_quiet_spell_runs_at_once_so_the_minimum_interval_never_delays_the_first_change()
    {
        var schedule = Synced(at: T0);
        var later = T0 + TimeSpan.FromSeconds(5);
        schedule.Request(out _);
        Assert.Equal(SyncDecision.Sync(full: false), schedule.Next(later));
    }

    [Fact]
    public void Requests_within_the_minimum_interval_wait_for_its_end_and_coalesce_into_one_sync()
    {
        var schedule = Synced(at: T0);
        var generation = 0L;
        var coalesced = new List<bool>();
        for (var i = 0; i < 3; i++)
        {
            generation = schedule.Request(out var folded);
            coalesced.Add(folded);
        }

        Assert.Equal([false, true, true], coalesced);
        Assert.Equal(SyncDecision.WaitFor(TimeSpan.FromMilliseconds(40)), schedule.Next(T0 + TimeSpan.FromMilliseconds(10)));
        Assert.Equal(SyncDecision.Sync(full: false), schedule.Next(T0 + TimeSpan.FromMilliseconds(50)));
        schedule.Started(T0 + TimeSpan.FromMilliseconds(50));
        schedule.Finished(generation, succeeded: true, full: false, T0 + TimeSpan.FromMilliseconds(52));
        Assert.Equal(generation, schedule.SyncedGeneration);
        Assert.False(schedule.Next(T0 + TimeSpan.FromMilliseconds(200)).Run);
    }

    [Fact]
    public void A_full_sync_comes_one_full_sync_interval_after_the_last_full_one_without_any_request()
    {
        var schedule = Synced(at: T0);
        Assert.Equal(SyncDecision.WaitFor(TimeSpan.FromSeconds(60)), schedule.Next(T0));
        Assert.Equal(SyncDecision.WaitFor(TimeSpan.FromSeconds(1)), schedule.Next(T0 + TimeSpan.FromSeconds(59)));
        Assert.Equal(SyncDecision.Sync(full: true), schedule.Next(T0 + TimeSpan.FromSeconds(60)));

        // A partial sync in between does not restart the clock; a full one does.
        schedule.Started(T0 + TimeSpan.FromSeconds(60));
        schedule.Finished(schedule.RequestedGeneration, succeeded: true, full: true, T0 + TimeSpan.FromSeconds(60));
        Assert.Equal(SyncDecision.WaitFor(TimeSpan.FromSeconds(60)), schedule.Next(T0 + TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public void A_request_that_falls_due_with_the_full_sync_is_part_of_it()
    {
        var schedule = Synced(at: T0);
        schedule.Request(out _);
        Assert.Equal(SyncDecision.Sync(full: true), schedule.Next(T0 + TimeSpan.FromSeconds(61)));
    }

    [Fact]
    public void Failures_are_retried_after_a_backoff_that_doubles_up_to_the_maximum_and_a_success_resets_it()
    {
        var schedule = Synced(at: T0);
        var now = T0 + TimeSpan.FromSeconds(1);
        var waits = new List<double>();
        for (var failure = 0; failure < 5; failure++)
        {
            schedule.Started(now);
            schedule.Finished(schedule.RequestedGeneration, succeeded: false, full: false, now);
            var decision = schedule.Next(now);
            waits.Add(decision.Wait.TotalSeconds);
            now += decision.Wait;
            Assert.True(schedule.Next(now).Run);
        }

        Assert.Equal([1, 2, 4, 8, 8], waits);
        Assert.Equal(5, schedule.ConsecutiveFailures);
        schedule.Started(now);
        schedule.Finished(schedule.RequestedGeneration, succeeded: true, full: true, now);
        Assert.Equal(0, schedule.ConsecutiveFailures);
        Assert.Null(schedule.RetryAt);
        Assert.False(schedule.Next(now + TimeSpan.FromSeconds(30)).Run);
    }

    [Fact]
    public void A_new_request_after_a_failure_does_not_wait_for_the_backoff_only_for_the_minimum_interval()
    {
        var schedule = Synced(at: T0);
        schedule.Started(T0 + TimeSpan.FromSeconds(1));
        schedule.Finished(schedule.RequestedGeneration, succeeded: false, full: false, T0 + TimeSpan.FromSeconds(1));
        schedule.Request(out _);
        Assert.Equal(SyncDecision.WaitFor(TimeSpan.FromMilliseconds(50)), schedule.Next(T0 + TimeSpan.FromSeconds(1)));
        Assert.Equal(SyncDecision.Sync(full: false), schedule.Next(T0 + TimeSpan.FromSeconds(1.05)));
    }

    [Fact]
    public void A_paused_schedule_runs_nothing_and_a_forced_full_sync_runs_once_resumed()
    {
        var schedule = Synced(at: T0);
        schedule.Paused = true;
        schedule.Request(out _);
        Assert.Equal(SyncDecision.WaitFor(Timeout.InfiniteTimeSpan), schedule.Next(T0 + TimeSpan.FromHours(1)));

        schedule.Paused = false;
        schedule.ForceFull();
        Assert.Equal(SyncDecision.Sync(full: true), schedule.Next(T0 + TimeSpan.FromSeconds(2)));
    }

    /// <summary>A schedule whose first request was synced, in full, at <paramref name="at"/>.</summary>
    private static SyncSchedule Synced(DateTimeOffset at)
    {
        var schedule = new SyncSchedule(Options);
        var generation = schedule.Request(out _);
        schedule.Started(at);
        schedule.Finished(generation, succeeded: true, full: true, at);
        return schedule;
    }
}
