namespace Maille.Dataplane.Linux.Nftables;

/// <summary>What a <see cref="NodeServiceProxy"/> reports about its syncs (kube-proxy's sync metrics, as a value).</summary>
internal sealed record NodeServiceProxyStatus
{
    /// <summary>Syncs that reached the kernel and were accepted (including ones with nothing to change).</summary>
    public int SyncCount { get; init; }

    public int FailedSyncCount { get; init; }

    /// <summary>How many sync requests were folded into a later sync (bursts coalesce).</summary>
    public int CoalescedRequestCount { get; init; }

    /// <summary>Plan, render and apply of the last accepted sync.</summary>
    public TimeSpan LastSyncDuration { get; init; }

    /// <summary>The part of <see cref="LastSyncDuration"/> spent in libnftables (parse + kernel).</summary>
    public TimeSpan LastApplyDuration { get; init; }

    public bool LastSyncWasFull { get; init; }

    /// <summary>nftables commands in the last accepted transaction (0: nothing changed).</summary>
    public int LastCommandCount { get; init; }

    public DateTimeOffset? LastSyncAt { get; init; }

    public int ServicePortCount { get; init; }

    public int RuleCount { get; init; }

    /// <summary>Elements of the table's sets and maps, dynamic affinity sets excluded.</summary>
    public int ElementCount { get; init; }

    /// <summary>UDP conntrack flushes asked for after endpoints went away.</summary>
    public int StaleUdpFlowFlushCount { get; init; }

    /// <summary>The last failure (nft's own message, with line and column), or null after a successful sync.</summary>
    public string? LastError { get; init; }

    /// <summary>The generation of the last request a finished sync covered (see <see cref="NodeServiceProxy.Sync"/>).</summary>
    public long SyncedGeneration { get; init; }
}
