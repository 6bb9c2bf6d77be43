using System.Globalization;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// One rule of one policy in one direction: the unit a data plane counts packets for (one named counter each), and
/// what <see cref="RuleRef"/> reduces to once peers and ports are compiled into sets and matches.
/// </summary>
internal sealed record PolicyRuleId(string PolicyNamespace, string PolicyName, PolicyDirection Direction, int Rule)
{
    public string Policy => $"{PolicyNamespace}/{PolicyName}";

    public string DirectionName => Direction == PolicyDirection.Ingress ? "ingress" : "egress";

    /// <summary>nftables object names are at most 255 bytes.</summary>
    public const int MaxCounterNameLength = 255;

    /// <summary>
    /// A name usable as an nftables object name: <c>ingress/x/allow-80/0</c>. It starts with a letter (nftables
    /// refuses a leading digit, which namespace and policy names may have) and holds only characters of Kubernetes
    /// names plus <c>/</c>. The rare name longer than nftables allows (a 253-character policy name) becomes
    /// <c>ingress/HASH</c>.
    /// </summary>
    public string CounterName
    {
        get
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{DirectionName}/{PolicyNamespace}/{PolicyName}/{Rule}");
            return name.Length <= MaxCounterNameLength
                ? name
                : $"{DirectionName}/{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))}";
        }
    }

    public static PolicyRuleId Of(RuleRef rule) => new(rule.PolicyNamespace, rule.PolicyName, rule.Direction, rule.Rule);

    /// <summary><c>x/allow-80 ingress rule 0</c>, the beginning of <see cref="RuleRef.ToString"/>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Policy} {DirectionName} rule {Rule}");
}
