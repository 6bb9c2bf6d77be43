using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// What a node's plan decides for one direction of a packet: not isolated (<see cref="Chain"/> null, allowed), or the
/// chain entered and the first compiled rule that allowed it (null: the chain's end denies it).
/// </summary>
public sealed record ChainDecision(PolicyDirection Direction, string? Chain, CompiledRule? AllowedBy)
{
    public bool Allowed => Chain is null || AllowedBy is not null;

    public override string ToString()
    {
        var name = Direction == PolicyDirection.Ingress ? "ingress" : "egress";
        return Chain is null ? $"{name}: not isolated"
            : AllowedBy is { } rule ? $"{name}: chain {Chain}, allowed by {rule.Description}"
            : $"{name}: chain {Chain}, no rule allows it";
    }
}
