using Maille.Engine.ServiceProxy;
using Maille.Model;

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

    /// <summary>
    /// The writes, one packed run per map and kind (each one batch for the kernel), in stages that go in order; the
    /// batches of one stage are for different maps and none must wait for another, so they may be written at once.
    /// </summary>
    public required IReadOnlyList<IReadOnlyList<SocketLbBatch>> Stages { get; init; }

    /// <summary>The batches in the order of <see cref="Stages"/>.</summary>
    public IEnumerable<SocketLbBatch> Batches => Stages.SelectMany(s => s);

    /// <summary>The same writes one by one, in the same order, for tests and messages: made on first use (a sync does not need them).</summary>
    public IReadOnlyList<SocketLbOperation> Operations => _operations ??= [.. Batches.SelectMany(b => b.Operations())];

    private IReadOnlyList<SocketLbOperation>? _operations;

    /// <summary>
    /// The entries the operations write, with their id and rendering once applied (null: gone), for
    /// <see cref="SocketLbState.Commit"/>; for a full change, every port the maps then hold.
    /// </summary>
    internal IReadOnlyDictionary<SocketLbGroupId, (uint Id, SocketLbService Service)?> Updates { get; init; } = new Dictionary<SocketLbGroupId, (uint, SocketLbService)?>();

    /// <summary>The plan's ports, which the next change is compared with.</summary>
    internal EquatableArray<ServicePortPlan> PlanPorts { get; init; } = EquatableArray<ServicePortPlan>.Empty;

    /// <summary>The node's address the NodePort entries were rendered on: when it changes, every port is rendered again.</summary>
    internal System.Net.IPAddress? NodeAddress { get; init; }

    internal IReadOnlySet<ulong> Namespaces { get; init; } = new HashSet<ulong>();

    internal uint NextId { get; init; }

    public int CommandCount => Batches.Sum(b => b.Count);
}
