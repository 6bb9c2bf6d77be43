namespace Maille.Dataplane.Ebpf;

/// <summary>
/// How one direction of a pod judged a connection's first packet in the ebpf maps (<see cref="PodPolicyWalker"/>):
/// allowed or not, each map entry read on the way (<c>map[key] → value</c>, in the program's order), and the counter
/// key of what decided (a rule's key, <c>deny/CHAIN</c> for a chain's end; null when no rule did: the direction is not
/// isolated, or every tier passed the packet on).
/// </summary>
public sealed record PodPolicyWalk(bool Allowed, IReadOnlyList<string> Steps, string? DecidedBy);
