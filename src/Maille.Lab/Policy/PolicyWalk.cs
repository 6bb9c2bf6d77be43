using System.Net;
using Maille.Dataplane.Nftables;

namespace Maille.Lab.Policy;

/// <summary>
/// A connection's first packet (after any Service DNAT) walked through the forward hook of one node's policy table as
/// last applied: the packet, what the walk did (<see cref="Trace"/>: verdict, every matching rule, the rule that ended
/// it), and how that reads per direction for the node's own pods (<see cref="Egress"/> of a local source,
/// <see cref="Ingress"/> of a local destination). <see cref="Hairpin"/>: a pod reaching itself, allowed before any policy.
/// </summary>
public sealed record PolicyWalk(
    string Node,
    IPAddress Source,
    IPAddress Destination,
    string Protocol,
    int Port,
    NftTraceResult Trace,
    bool Hairpin,
    PolicyWalkSide? Egress,
    PolicyWalkSide? Ingress)
{
    /// <summary>The table let the packet through.</summary>
    public bool Allowed => Trace.Verdict is not (NftTraceVerdict.Dropped or NftTraceVerdict.Rejected);

    /// <summary>What the plan the table was rendered from decides for the same packet.</summary>
    public required bool PlanAllows { get; init; }

    /// <summary><c>accepted</c>, <c>rejected</c> or <c>dropped</c>.</summary>
    public string Verdict => Trace.Verdict switch
    {
        NftTraceVerdict.Rejected => "rejected",
        NftTraceVerdict.Dropped => "dropped",
        _ => "accepted",
    };

    /// <summary>The walk and the plan agree, overall and in each direction.</summary>
    public bool Agrees => Allowed == PlanAllows && (Egress?.Agrees ?? true) && (Ingress?.Agrees ?? true);
}
