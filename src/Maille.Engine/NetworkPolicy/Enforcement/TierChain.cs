using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// One tier of ClusterNetworkPolicy rules for one direction of the local pods that share it, in the engine's order
/// (policies by priority then name, rules as written, <c>protocols</c> entries in order). The first rule that matches
/// decides: Accept allows this direction, Deny denies it, Pass goes on to <see cref="Next"/>; a packet no rule matches
/// goes on to <see cref="Next"/> too. <see cref="Next"/> is, for the Admin tier, the pod's NetworkPolicy chain when
/// NetworkPolicy isolates it, else its Baseline tier chain; null (always for the Baseline tier) means the default:
/// allowed. Named from its content like <see cref="PolicyChain"/>.
/// </summary>
public sealed record TierChain(
    string Name, PolicyDirection Direction, ClusterPolicyTier Tier, EquatableArray<string> Policies, EquatableArray<CompiledClusterRule> Rules, string? Next);
