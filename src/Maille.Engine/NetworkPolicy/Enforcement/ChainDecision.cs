using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// What a node's plan decides for one direction of a packet: not isolated (<see cref="Chain"/> null, allowed), or the
/// chain that decided and, for a NetworkPolicy chain, the first compiled rule that allowed it (null: the chain's end
/// denies it). A ClusterNetworkPolicy tier chain decides through <see cref="DecidedBy"/> (an Accept or Deny rule) or,
/// when none matched in any tier and NetworkPolicy did not isolate the pod, by default (<see cref="ByDefault"/>).
/// </summary>
public sealed record ChainDecision(PolicyDirection Direction, string? Chain, CompiledRule? AllowedBy)
{
    /// <summary>The Accept or Deny rule of a tier chain that decided; null when a NetworkPolicy chain or the default did.</summary>
    public CompiledClusterRule? DecidedBy { get; init; }

    /// <summary>The last tier chain walked ended (or passed) with nothing after it: allowed by default.</summary>
    public bool ByDefault { get; init; }

    /// <summary>The Pass rule that sent the packet on to a later tier, if any.</summary>
    public CompiledClusterRule? PassedBy { get; init; }

    public bool Allowed => DecidedBy is { } rule ? rule.Action == ClusterPolicyAction.Accept : Chain is null || ByDefault || AllowedBy is not null;

    public override string ToString()
    {
        var name = Direction == PolicyDirection.Ingress ? "ingress" : "egress";
        var passed = PassedBy is { } pass ? $", passed by {pass.Description}" : "";
        return Chain is null ? $"{name}: not isolated"
            : DecidedBy is { } decided ? $"{name}: chain {Chain}, {(Allowed ? "allowed" : "denied")} by {decided.Description}"
            : ByDefault ? $"{name}: chain {Chain}{passed}, no rule decides: allowed by default"
            : AllowedBy is { } rule ? $"{name}: chain {Chain}{passed}, allowed by {rule.Description}"
            : $"{name}: chain {Chain}{passed}, no rule allows it";
    }
}
