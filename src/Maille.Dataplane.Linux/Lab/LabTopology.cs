using System.Net;
using Maille.Model;

namespace Maille.Dataplane.Linux.Lab;

/// <summary>What a lab's network is made of: nodes on one underlay segment, pods on nodes, one outside client.</summary>
public sealed record LabTopology
{
    public required EquatableArray<LabNode> Nodes { get; init; }

    public required EquatableArray<LabPod> Pods { get; init; }

    /// <summary>The outside client's address on the node network.</summary>
    public IPAddress ExternalAddress { get; init; } = IPAddress.Parse("198.18.0.2");

    /// <summary>The underlay bridge's own address: the nodes' default gateway, as a real node network has one.</summary>
    public IPAddress UnderlayGateway { get; init; } = IPAddress.Parse("198.18.0.1");

    public LabNetworkMode Mode { get; init; } = LabNetworkMode.Routed;
}
