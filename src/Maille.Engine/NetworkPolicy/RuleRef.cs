using System.Globalization;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// The exact place in a policy that allowed a connection: policy, direction, rule index, and the peer and port
/// indexes that matched (null when the rule lists no peers or no ports, which matches everything).
/// </summary>
public sealed record RuleRef(string PolicyNamespace, string PolicyName, PolicyDirection Direction, int Rule, int? Peer, int? Port)
{
    public string Policy => $"{PolicyNamespace}/{PolicyName}";

    /// <summary>For example <c>x/allow-y ingress rule 0 peer 1 port 0</c> or <c>x/allow-all ingress rule 0 any peer any port</c>.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Policy} {(Direction == PolicyDirection.Ingress ? "ingress" : "egress")} rule {Rule} {(Peer is { } peer ? $"peer {peer}" : "any peer")} {(Port is { } port ? $"port {port}" : "any port")}");
}
