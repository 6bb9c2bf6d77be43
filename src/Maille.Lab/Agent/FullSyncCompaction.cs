namespace Maille.Lab.Agent;

/// <summary>
/// Gives the memory of a full sync back to the kernel once it is over. A full sync of 10,000 Services builds the
/// whole table's text and model at once, far more than the agent keeps; the GC then holds the emptied space committed
/// (an agent process of 10,000 Services kept about 145 MB of anonymous memory for a live heap of 67 MB,
/// docs/benchmarks.md, session 24). An aggressive, compacting collection a moment after the last full sync of a burst
/// (the parts of a starting agent each sync in full) decommits it. Incremental syncs, the common case, leave little
/// garbage and do not ask for one.
/// </summary>
internal sealed class FullSyncCompaction : IDisposable
{
    private readonly ITimer _timer;
    private readonly TimeSpan _delay;
    private int _compactions;

    /// <param name="delay">How long after the last full sync of a burst to collect.</param>
    public FullSyncCompaction(TimeSpan delay, TimeProvider? time = null)
    {
        _delay = delay;
        _timer = (time ?? TimeProvider.System).CreateTimer(_ => Compact(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Collections made so far.</summary>
    public int Compactions => Volatile.Read(ref _compactions);

    /// <summary>A part wrote a full sync: the collection is (re)armed for <see cref="_delay"/> from now.</summary>
    public void FullSyncWritten() => _timer.Change(_delay, Timeout.InfiniteTimeSpan);

    private void Compact()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Interlocked.Increment(ref _compactions);
    }

    public void Dispose() => _timer.Dispose();
}
