using System.Net;

namespace Maille.Lab.Observe;

/// <summary>
/// A new connection the kernel let through (<see cref="Allowed"/>, from conntrack) or a first packet a policy table
/// denied (from its log group), with the pods at each end, the Service when the destination was one, and the rule that
/// decided. <see cref="Port"/> is the destination pod's port, after any Service translation.
/// </summary>
public sealed record FlowRecord : FlowEvent
{
    /// <summary>
    /// The node whose kernel reported it: for an allowed connection to a pod, the pod's node (the last on the way); to
    /// any other address, the source pod's node; for a denial, the node whose table denied it.
    /// </summary>
    public required string Node { get; init; }

    /// <summary>The source pod (<c>namespace/name</c>), or null for an address that is no pod's (a node, outside).</summary>
    public string? From { get; init; }

    public required IPAddress FromAddress { get; init; }

    public required int FromPort { get; init; }

    /// <summary>The destination pod, or null for an address that is no pod's.</summary>
    public string? To { get; init; }

    public required IPAddress ToAddress { get; init; }

    public required int Port { get; init; }

    /// <summary><c>TCP</c>, <c>UDP</c>, <c>SCTP</c>, <c>ICMP</c> or the IP protocol number.</summary>
    public required string Protocol { get; init; }

    /// <summary>The Service the client addressed (<c>namespace/name</c>), when conntrack shows a translation to the pod.</summary>
    public string? Service { get; init; }

    public IPAddress? ServiceAddress { get; init; }

    public int? ServicePort { get; init; }

    public required bool Allowed { get; init; }

    /// <summary>
    /// What decided: for an allowed flow the policy rules the engine finds allowing it now (or why none is needed), for a
    /// denied one <c>default deny of NS/POLICY…</c>, the policies whose chain denied it.
    /// </summary>
    public required string Rule { get; init; }

    public string Verdict => Allowed ? "allowed" : "dropped";
}
