using Maille.Lab.Agent;
using Maille.TestKit;

namespace Maille.Lab.Tests.Agent;

/// <summary>An agent gives a full sync's memory back once a burst of full syncs is over, and only then.</summary>
public sealed class FullSyncCompactionTests
{
    [Fact]
    public void A_burst_of_full_syncs_makes_one_full_compacting_collection_a_second_after_the_last()
    {
        var time = new ManualTimeProvider();
        using var compaction = new FullSyncCompaction(TimeSpan.FromSeconds(1), time);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, compaction.Compactions);

        compaction.FullSyncWritten();
        time.Advance(TimeSpan.FromMilliseconds(900));
        compaction.FullSyncWritten();
        time.Advance(TimeSpan.FromMilliseconds(900));
        Assert.Equal(0, compaction.Compactions);

        var before = GC.GetGCMemoryInfo(GCKind.FullBlocking).Index;
        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, compaction.Compactions);
        var collection = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        Assert.True(collection.Index > before, "no full blocking collection was made");
        Assert.True(collection.Compacted, "the collection did not compact");

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, compaction.Compactions);
    }
}
