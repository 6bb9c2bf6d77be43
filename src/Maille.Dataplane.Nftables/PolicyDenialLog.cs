using System.Security.Cryptography;
using System.Text;
using Maille.Engine.NetworkPolicies;

namespace Maille.Dataplane.Nftables;

/// <summary>
/// How a policy chain's denying rule names itself to <c>maille observe</c>: it logs each denied first packet to the
/// nfnetlink_log group <see cref="DefaultGroup"/> with the prefix <c>maille-deny CHAIN</c>. The chain's name (a hash of
/// its content, see docs/networkpolicy-dataplane.md) identifies the deny exactly, and is short enough for the kernel's
/// 127-byte prefix whatever the policies are called; the reader finds the chain's direction and isolating policies in the
/// node's plan. A ClusterNetworkPolicy Deny rule logs <c>maille-deny cnp-POLICY-DIRECTION-N</c>, its rule's key (a key
/// too long for the prefix becomes <c>cnp-DIRECTION-HASH</c>), so that observe names the rule that denied.
/// </summary>
public static class PolicyDenialLog
{
    /// <summary>The nfnetlink_log group the lab's policy tables log denials to.</summary>
    public const int DefaultGroup = 20;

    /// <summary>The start of every denial prefix.</summary>
    public const string PrefixStart = "maille-deny ";

    /// <summary>The prefix of <paramref name="chain"/>'s denying rule.</summary>
    public static string Prefix(string chain) => PrefixStart + chain;

    /// <summary>The kernel keeps at most 127 bytes of a log prefix.</summary>
    public const int MaxPrefixLength = 127;

    /// <summary>The prefix of a ClusterNetworkPolicy Deny rule: its key, or a hash of it when the key would not fit.</summary>
    public static string Prefix(ClusterRuleId rule) => PrefixStart.Length + rule.Key.Length <= MaxPrefixLength
        ? PrefixStart + rule.Key
        : $"{PrefixStart}cnp-{rule.DirectionName}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(rule.Key)))[..32]}";

    /// <summary>Whether a logged prefix is a ClusterNetworkPolicy rule's (<see cref="Prefix(ClusterRuleId)"/>).</summary>
    public static bool IsClusterRule(string prefix) => prefix.StartsWith(PrefixStart + "cnp-", StringComparison.Ordinal);

    /// <summary>The chain a logged prefix names, or null when the prefix is not one of these.</summary>
    public static string? ChainOf(string prefix) =>
        prefix.StartsWith(PrefixStart, StringComparison.Ordinal) && prefix.Length > PrefixStart.Length ? prefix[PrefixStart.Length..] : null;
}
