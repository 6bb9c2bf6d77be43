namespace Maille.Dataplane.Nftables.Tests.NetworkPolicies;

/// <summary>The reference rules traced through tables whose policy chains all list their rules, walked one by one.</summary>
public sealed class ListedChainsTracerRuleTests() : PolicyTracerRuleTests(int.MaxValue);
