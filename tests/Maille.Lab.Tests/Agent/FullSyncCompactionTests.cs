using Maille.Lab.Agent;

namespace Maille.Lab.Tests.Agent;

/// <summary>An agent gives a full sync's memory back once a burst of full syncs is over, and only then.</summary>
public sealed class FullSyncCompactionTests
{
    [Fact]
    public void A_burst_of_full_syncs_arms_one_full_compacting_collection_a_moment_after_the_last()
    {
        var time = new HandFiredTimers();
        using var compaction = new FullSyncCompaction(TimeSpan.FromSeconds(1), time);
        Assert.Equal(Timeout.InfiniteTimeSpan, time.Due);

        compaction.FullSyncWritten();
        compaction.FullSyncWritten();
        Assert.Equal(TimeSpan.FromSeconds(1), time.Due);
        Assert.Equal(0, compaction.Compactions);

        var before = GC.GetGCMemoryInfo(GCKind.FullBlocking).Index;
        time.Fire();

        Assert.Equal(1, compaction.Compactions);
        var collection = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        Assert.True(collection.Index > before, "no full blocking collection was made");
        Assert.True(collection.Compacted, "the collection did not compact");
    }

    /// <summary>One timer, fired by the test.</summary>
    private sealed class HandFiredTimers : TimeProvider
    {
        private TimerCallback? _callback;
        private object? _state;

        public TimeSpan Due { get; private set; } = Timeout.InfiniteTimeSpan;

        public void Fire() => _callback!(_state);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            (_callback, _state, Due) = (callback, state, dueTime);
            return new Timer(this);
        }

        private sealed class Timer(HandFiredTimers owner) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                owner.Due = dueTime;
                return true;
            }

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
