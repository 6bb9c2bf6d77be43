using Maille.Model;

namespace Maille.Dataplane.Nftables;

/// <summary>
/// What a packet meets in the table: the verdict, every endpoint the random choice may pick (each with its
/// masquerade), the rules that matched in order (destination NAT hook, then postrouting), and the rule that decided
/// (the translation, drop or reject; null when nothing applied), for <c>maille trace</c>.
/// </summary>
public sealed record NftTraceResult(NftTraceVerdict Verdict, EquatableArray<NftTraceTarget> Targets, EquatableArray<NftTraceStep> Steps, NftTraceStep? Decision)
{
    public override string ToString() => Verdict switch
    {
        NftTraceVerdict.Translated => "dnat " + string.Join(", ", Targets),
        NftTraceVerdict.Dropped => "drop",
        NftTraceVerdict.Rejected => "reject",
        _ => "pass",
    };
}
