namespace Maille.Dataplane.Nftables;

/// <summary>
/// How a policy chain's denying rule names itself to <c>maille observe</c>: it logs each denied first packet to the
/// nfnetlink_log group <see cref="DefaultGroup"/> with the prefix <c>maille-deny CHAIN</c>. The chain's name (a hash of
/// its content, see docs/networkpolicy-dataplane.md) identifies the deny exactly, and is short enough for the kernel's
/// 127-byte prefix whatever the policies are called; the reader finds the chain's direction and isolating policies in the
/// node's plan.
/// </summary>
public static class PolicyDenialLog
{
    /// <summary>The nfnetlink_log group the lab's policy tables log denials to.</summary>
    public const int DefaultGroup = 20;

    /// <summary>The start of every denial prefix.</summary>
    public const string PrefixStart = "maille-deny ";

    /// <summary>The prefix of <paramref name="chain"/>'s denying rule.</summary>
    public static string Prefix(string chain) => PrefixStart + chain;

    /// <summary>The chain a logged prefix names, or null when the prefix is not one of these.</summary>
    public static string? ChainOf(string prefix) =>
        prefix.StartsWith(PrefixStart, StringComparison.Ordinal) && prefix.Length > PrefixStart.Length ? prefix[PrefixStart.Length..] : null;
}
