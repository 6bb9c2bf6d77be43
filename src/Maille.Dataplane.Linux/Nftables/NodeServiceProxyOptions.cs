namespace Maille.Dataplane.Linux.Nftables;

/// <summary>Settings of a <see cref="NodeServiceProxy"/> (when it syncs is its runner's: the lab's <c>NodePartRunnerOptions</c>).</summary>
public sealed record NodeServiceProxyOptions
{
    /// <summary>Flush UDP conntrack entries of endpoints that went away (needs the <c>conntrack</c> command).</summary>
    public bool FlushStaleUdpFlows { get; init; } = true;

    /// <summary>
    /// A partial sync that rewrites no chain and changes at least this many elements is applied in steps: new chains
    /// and maps as text, the elements as one netlink batch instead of through libnftables' text parser, then what is no
    /// longer used (a pod behind thousands of Services turning unready). Smaller ones go as one text transaction.
    /// </summary>
    public int NetlinkElementThreshold { get; init; } = 1000;

    /// <summary>
    /// ClusterIP traffic is translated at the socket by the ebpf data plane (<c>NodeSocketLoadBalancer</c>): the table
    /// translates only external traffic and drops packets that still carry a ClusterIP (<see cref="Engine.ServiceProxy.NodeServicePlan.ClusterIPAtSocket"/>).
    /// </summary>
    public bool ClusterIPAtSocket { get; init; }

    public void Validate()
    {
        if (NetlinkElementThreshold < 0)
        {
            throw new ArgumentException("NetlinkElementThreshold must be >= 0");
        }
    }
}
