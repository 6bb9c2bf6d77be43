namespace Maille.Lab.NodeAgents;

/// <summary>
/// What a <see cref="NodePartRunner"/> reports about its part: the same fields, names and units for every part
/// (milliseconds as numbers), and the part's own <see cref="Details"/>. Immutable; a new one is swapped in after each
/// sync. Served by the lab API under the node agent's <c>parts</c>.
/// </summary>
public sealed record NodePartStatus
{
    /// <summary>Syncs the kernel accepted, including those with nothing to change.</summary>
    public long Syncs { get; init; }

    public long FailedSyncs { get; init; }

    /// <summary>Accepted syncs that wrote everything (the first, periodic drift repairs, the first after a failure).</summary>
    public long FullSyncs { get; init; }

    /// <summary>Requests folded into a later sync (bursts coalesce).</summary>
    public long CoalescedRequests { get; init; }

    /// <summary>Failures in a row now (0 after a sync that worked); the retry waits longer with each.</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>Plan, render and apply of the last sync.</summary>
    public double LastSyncMilliseconds { get; init; }

    /// <summary>The part of the last sync spent in the kernel's interface.</summary>
    public double LastApplyMilliseconds { get; init; }

    public bool LastSyncWasFull { get; init; }

    /// <summary>Commands in the last accepted sync (0: nothing changed).</summary>
    public int LastCommandCount { get; init; }

    /// <summary>When the last accepted sync ended.</summary>
    public DateTimeOffset? LastSyncAt { get; init; }

    /// <summary>When the last accepted full sync ended; the next is due one full-sync interval after it started.</summary>
    public DateTimeOffset? LastFullSyncAt { get; init; }

    /// <summary>When the next try after a failure is due (null when the last sync worked).</summary>
    public DateTimeOffset? NextRetryAt { get; init; }

    /// <summary>The last failure (nft's own message), or a problem after an accepted sync; null when all went well.</summary>
    public string? LastError { get; init; }

    /// <summary>The generation of the latest request (see <see cref="NodePartRunner.Request"/>).</summary>
    public long RequestedGeneration { get; init; }

    /// <summary>The generation of the last request a finished sync covered, successful or not.</summary>
    public long SyncedGeneration { get; init; }

    public required NodePartDetails Details { get; init; }
}
