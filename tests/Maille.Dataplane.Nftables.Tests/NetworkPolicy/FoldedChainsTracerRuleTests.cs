namespace Maille.Dataplane.Nftables.Tests.NetworkPolicies;

/// <summary>The reference rules traced through tables whose policy chains are all folded into one map lookup.</summary>
public sealed class FoldedChainsTracerRuleTests() : PolicyTracerRuleTests(0);
