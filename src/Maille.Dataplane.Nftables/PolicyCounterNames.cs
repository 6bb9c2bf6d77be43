using System.Security.Cryptography;
using System.Text;
using Maille.Engine.NetworkPolicies;

namespace Maille.Dataplane.Nftables;

/// <summary>
/// The names of the policy table's named counters, one per policy rule. The engine names a rule without limit
/// (<see cref="PolicyRuleId.Key"/>); nftables object names are at most 255 bytes, so the limit is applied here.
/// </summary>
public static class PolicyCounterNames
{
    /// <summary>nftables object names are at most 255 bytes.</summary>
    public const int MaxLength = 255;

    extension(PolicyRuleId rule)
    {
        /// <summary>
        /// A name usable as an nftables object name: the rule's key, <c>ingress/x/allow-80/0</c>. It starts with a letter
        /// (nftables refuses a leading digit, which namespace and policy names may have) and holds only characters of
        /// Kubernetes names plus <c>/</c>. The rare key longer than nftables allows (a 253-character policy name) becomes
        /// <c>ingress/HASH</c>.
        /// </summary>
        public string CounterName => rule.Key.Length <= MaxLength
            ? rule.Key
            : $"{rule.DirectionName}/{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(rule.Key)))}";
    }

    /// <summary>
    /// The counter name of a ClusterNetworkPolicy rule: its key, <c>cnp-POLICY-ingress-0</c> (it starts with a letter;
    /// policy names are DNS subdomains). A key longer than nftables allows (a policy name over 239 characters) becomes
    /// <c>cnp-ingress-HASH</c>.
    /// </summary>
    public static string Of(ClusterRuleId rule) => rule.Key.Length <= MaxLength
        ? rule.Key
        : $"cnp-{rule.DirectionName}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(rule.Key)))}";
}
