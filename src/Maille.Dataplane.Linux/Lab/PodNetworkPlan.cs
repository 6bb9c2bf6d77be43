using System.Net;

namespace Maille.Dataplane.Linux.Lab;

/// <summary>A pod's namespace (<c>eth0</c> = Address/32) and the node-side veth end that routes to it.</summary>
public sealed record PodNetworkPlan
{
    public required string Key { get; init; }

    public required string Node { get; init; }

    public required string Namespace { get; init; }

    public required string HostInterface { get; init; }

    public required IPAddress Address { get; init; }
}
