using System.Net;

namespace Maille.Dataplane.Linux.Lab;

/// <summary>A node: its address on the node network (with that network's prefix) and the pod CIDR routed to it.</summary>
public sealed record LabNode
{
    public required string Name { get; init; }

    public required IPAddress Address { get; init; }

    public int PrefixLength { get; init; } = 24;

    public required IPNetwork PodCidr { get; init; }
}
