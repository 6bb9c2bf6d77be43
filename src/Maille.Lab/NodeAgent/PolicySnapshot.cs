using Maille.Dataplane.Nftables;
using Maille.Engine.NetworkPolicies;

namespace Maille.Lab.NodeAgents;

/// <summary>
/// What a node's policy enforcer last applied, as one value: the plan, the table rendered from it as the kernel
/// accepted it, and the counts. A walk of the table read with the plan (<see cref="Policy.PolicyWalker"/>) takes both
/// from one snapshot, so they always belong together.
/// </summary>
public sealed record PolicySnapshot(NodePolicyPlan Plan, NftRuleset Ruleset, PolicyEnforcerDetails Details);
