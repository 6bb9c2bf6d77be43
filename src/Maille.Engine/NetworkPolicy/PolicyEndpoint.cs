using System.Net;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// One end of a connection as NetworkPolicy sees it: a (non-hostNetwork) pod, which has a policy side, or an address
/// outside every pod network (an external host, a node, a hostNetwork pod), which has none and is matched only by
/// ipBlock peers and by rules without peers.
/// </summary>
public sealed record PolicyEndpoint
{
    private PolicyEndpoint(Pod? pod, IPAddress? address, string? name)
    {
        Pod = pod;
        Address = address;
        Name = name ?? pod?.QualifiedName ?? address?.ToString() ?? "<no address>";
    }

    /// <summary>The pod, or null for an external address.</summary>
    public Pod? Pod { get; }

    /// <summary>The address policy matches ipBlocks against; null for a pod (or hostNetwork pod) that has none yet.</summary>
    public IPAddress? Address { get; }

    /// <summary>What to call it in messages.</summary>
    public string Name { get; }

    public bool IsPod => Pod is not null;

    public static PolicyEndpoint ForPod(Pod pod)
    {
        if (pod.Spec.HostNetwork)
        {
            throw new ArgumentException($"{pod.QualifiedName} uses the host network: it is an external endpoint with its node's address", nameof(pod));
        }

        return new PolicyEndpoint(pod, pod.Status.PodIP, null);
    }

    public static PolicyEndpoint External(IPAddress address) => new(null, address, null);

    /// <summary>A hostNetwork pod: no policy side, seen with its node's address.</summary>
    public static PolicyEndpoint HostNetwork(Pod pod, IPAddress? nodeAddress) =>
        new(null, nodeAddress, $"{pod.QualifiedName} (hostNetwork{(nodeAddress is null ? "" : ", " + nodeAddress)})");

    public override string ToString() => Name;
}
