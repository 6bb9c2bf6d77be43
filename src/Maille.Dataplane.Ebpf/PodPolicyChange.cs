namespace Maille.Dataplane.Ebpf;

/// <summary>
/// The map writes that take a node's pod policy maps from what they hold to a new plan, in an order that never lets a
/// pod point at a chain whose entries are not there yet: new counters, ports, peers and chains, then pods; then what
/// is no longer wanted, pods first. <see cref="Full"/>: every entry is written, and then whatever else the maps hold
/// is deleted (never emptied first).
/// </summary>
public sealed record PodPolicyChange
{
    public required bool Full { get; init; }

    public required IReadOnlyList<PodPolicyOperation> Operations { get; init; }

    /// <summary>What the maps hold once the operations are applied (for <see cref="PodPolicyState.Commit"/>).</summary>
    public required PodPolicyMaps Maps { get; init; }

    public int CommandCount => Operations.Count;
}
