using Maille.Engine.ServiceProxy;

namespace Maille.Dataplane.Ebpf;

/// <summary>
/// The map writes that take a node's socket load balancer from what it holds to a new plan, in an order that never
/// lets a program read a half-written Service: endpoints before the Service entry that counts them, the entry before
/// the endpoints it no longer counts. <see cref="Full"/>: every entry is written, and then whatever else the maps hold
/// is deleted (never emptied first: a connect during a full sync still finds its Service).
/// </summary>
public sealed record SocketLbChange
{
    public required bool Full { get; init; }

    public required IReadOnlyList<SocketLbOperation> Operations { get; init; }

    /// <summary>What the maps hold once the operations are applied (for <see cref="SocketLbState.Commit"/>).</summary>
    internal IReadOnlyDictionary<ServicePortId, (uint Id, SocketLbService Service)> Ports { get; init; } = new Dictionary<ServicePortId, (uint, SocketLbService)>();

    internal IReadOnlySet<ulong> Namespaces { get; init; } = new HashSet<ulong>();

    internal uint NextId { get; init; }

    public int CommandCount => Operations.Count;
}
