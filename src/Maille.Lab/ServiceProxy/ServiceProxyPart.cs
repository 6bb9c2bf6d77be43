using Maille.Dataplane.Linux.Nftables;
using Maille.Engine;
using Maille.Lab.Labs;

namespace Maille.Lab.ServiceProxy;

/// <summary>The Service proxy as a part of a node agent: each new plan goes to the node's <see cref="NodeServiceProxy"/>.</summary>
internal sealed class ServiceProxyPart(NodeServiceProxy proxy) : INodeDataplane
{
    public string Name => "services";

    public object Status => proxy.Status;

    public NodeServiceProxy Proxy => proxy;

    /// <summary>Hands the plan over and returns at once: the proxy coalesces bursts and applies on its own thread.</summary>
    public void Sync(ClusterState cluster) => proxy.Sync(cluster);

    public void Dispose() => proxy.Dispose();
}
