using System.Globalization;
using System.Text;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// One match of a ClusterNetworkPolicy rule as a data plane writes it, with the rule's action: one per
/// <c>protocols</c> entry (and per protocol a named port resolves to), all counted under <see cref="Rule"/>. The
/// match fields mean what <see cref="CompiledRule"/>'s do; null matches anything.
/// </summary>
public sealed record CompiledClusterRule
{
    public required ClusterRuleId Rule { get; init; }

    public string? RuleName { get; init; }

    public required ClusterPolicyAction Action { get; init; }

    /// <summary>The index of the <c>protocols</c> entry this compiles; null when the rule lists none.</summary>
    public int? PortIndex { get; init; }

    public string? PeerSet { get; init; }

    public Protocol? Protocol { get; init; }

    public PortRange? Ports { get; init; }

    public string? NamedPortSet { get; init; }

    /// <summary>For comments and traces: <c>Admin tier priority 10 guard-z ingress rule 0 "no-z-81" (Deny) port 0</c>.</summary>
    public string Description => string.Create(
        CultureInfo.InvariantCulture,
        $"{Rule}{(RuleName is null ? "" : $" \"{RuleName}\"")} ({Action}) {(PortIndex is { } port ? $"port {port}" : "any port")}");

    /// <summary>Every field, for naming the chain that holds this rule by its content.</summary>
    public string Canonical
    {
        get
        {
            var text = new StringBuilder(Rule.Key);
            text.Append(" tier=").Append(Rule.Tier).Append(" priority=").Append(Rule.Priority.ToString(CultureInfo.InvariantCulture))
                .Append(" action=").Append(Action)
                .Append(" port=").Append(PortIndex?.ToString(CultureInfo.InvariantCulture) ?? "any")
                .Append(" peers=").Append(PeerSet ?? "any")
                .Append(" protocol=").Append(Protocol?.ToString() ?? "any")
                .Append(" ports=").Append(Ports?.ToString() ?? "any")
                .Append(" named=").Append(NamedPortSet ?? "none");
            return text.ToString();
        }
    }
}
