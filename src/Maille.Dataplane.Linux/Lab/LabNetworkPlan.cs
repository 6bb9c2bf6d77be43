using System.Net;
using Maille.Model;

namespace Maille.Dataplane.Linux.Lab;

/// <summary>
/// Every namespace, interface, address and route of a lab, decided before any syscall
/// (<see cref="LabNetworkPlanner"/> makes it, <see cref="LabNetworkBuilder"/> carries it out).
/// </summary>
public sealed record LabNetworkPlan
{
    /// <summary>The pods' default gateway: link-local, answered by proxy ARP on the node's end of the veth.</summary>
    public static readonly IPAddress PodGateway = IPAddress.Parse("169.254.1.1");

    /// <summary>VXLAN mode: network identifier, UDP port (IANA's), and the MTU left for pods on a 1500-byte underlay.</summary>
    public const uint VxlanId = 1;
    public const ushort VxlanPort = 4789;
    public const int VxlanMtu = 1450;

    public required string Lab { get; init; }

    public required LabNetworkMode Mode { get; init; }

    public required string UnderlayNamespace { get; init; }

    public required string ExternalNamespace { get; init; }

    public required IPAddress UnderlayGateway { get; init; }

    public required int UnderlayPrefixLength { get; init; }

    public required IPAddress ExternalAddress { get; init; }

    public required EquatableArray<NodeNetworkPlan> Nodes { get; init; }

    public required EquatableArray<PodNetworkPlan> Pods { get; init; }

    /// <summary>Every namespace of the lab, underlay first.</summary>
    public IEnumerable<string> NamespaceNames =>
        new[] { UnderlayNamespace, ExternalNamespace }
            .Concat(Nodes.Select(node => node.Namespace))
            .Concat(Pods.Select(pod => pod.Namespace));
}
