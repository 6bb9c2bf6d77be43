using System.Globalization;
using System.Text;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// One match of a policy rule as a data plane writes it: a rule with several <c>ports</c> entries becomes one compiled
/// rule per entry (the entries are ORed), all counted under the same <see cref="Rule"/>. Every field that is null
/// matches anything:
/// <list type="bullet">
/// <item><see cref="PeerSet"/>: the peer address (source for ingress, destination for egress) is in that set; null
/// when the rule lists no peers, or when <see cref="NamedPortSet"/> already holds the peers.</item>
/// <item><see cref="Protocol"/> and <see cref="Ports"/>: the protocol, and the destination port range of that protocol.</item>
/// <item><see cref="NamedPortSet"/>: (destination, protocol, destination port) is in that set (egress named ports).</item>
/// </list>
/// </summary>
public sealed record CompiledRule
{
    public required PolicyRuleId Rule { get; init; }

    /// <summary>The index of the <c>ports</c> entry this compiles; null when the rule lists no ports.</summary>
    public int? PortIndex { get; init; }

    public string? PeerSet { get; init; }

    public Protocol? Protocol { get; init; }

    public PortRange? Ports { get; init; }

    public string? NamedPortSet { get; init; }

    /// <summary>For comments and traces: <c>x/allow-80 ingress rule 0 port 1</c> or <c>… rule 0 any port</c>.</summary>
    public string Description => Rule + (PortIndex is { } port ? string.Create(CultureInfo.InvariantCulture, $" port {port}") : " any port");

    /// <summary>Every field, for naming the chain that holds this rule by its content.</summary>
    public string Canonical
    {
        get
        {
            var text = new StringBuilder(Rule.Key);
            text.Append(" port=").Append(PortIndex?.ToString(CultureInfo.InvariantCulture) ?? "any")
                .Append(" peers=").Append(PeerSet ?? "any")
                .Append(" protocol=").Append(Protocol?.ToString() ?? "any")
                .Append(" ports=").Append(Ports?.ToString() ?? "any")
                .Append(" named=").Append(NamedPortSet ?? "none");
            return text.ToString();
        }
    }
}
