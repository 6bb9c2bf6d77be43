namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// The connections from every pod of <see cref="From"/> to every other pod of <see cref="To"/> on one port, which all
/// changed the same way, with the verdict of each side (null where the pods are absent from that side).
/// <see cref="Current"/> names the rules that allowed a lost connection and <see cref="Candidate"/> those that allow a
/// gained one; the other names the policies whose isolation denies it.
/// </summary>
public sealed record ReachabilityChange(ReachabilityChangeKind Kind, PortProtocol Port, PodGroup From, PodGroup To, long Connections, Verdict? Current, Verdict? Candidate);
