namespace Maille.Dataplane.Linux.Nftables;

/// <summary>Settings of a <see cref="NodeServiceProxy"/>.</summary>
internal sealed record NodeServiceProxyOptions
{
    /// <summary>
    /// Syncs start at most this often; requests in between are folded into one sync of the latest state (kube-proxy's
    /// <c>minSyncPeriod</c>). Zero syncs every request as soon as the previous sync ends.
    /// </summary>
    public TimeSpan MinSyncInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>After a failed transaction, a full resync is tried again this long after.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Flush UDP conntrack entries of endpoints that went away (needs the <c>conntrack</c> command).</summary>
    public bool FlushStaleUdpFlows { get; init; } = true;

    /// <summary>
    /// A partial sync that rewrites no chain and changes at least this many elements is applied in steps: new chains
    /// and maps as text, the elements as one netlink batch instead of through libnftables' text parser, then what is no
    /// longer used (a pod behind thousands of Services turning unready). Smaller ones go as one text transaction.
    /// </summary>
    public int NetlinkElementThreshold { get; init; } = 1000;

    public void Validate()
    {
        if (MinSyncInterval < TimeSpan.Zero || RetryInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("MinSyncInterval must be >= 0 and RetryInterval > 0");
        }
    }
}
