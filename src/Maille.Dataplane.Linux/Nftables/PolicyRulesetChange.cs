namespace Maille.Dataplane.Linux.Nftables;

/// <summary>One transaction for the policy table: the table it leads to, whether it rewrites everything, and its commands.</summary>
internal sealed record PolicyRulesetChange(NftRuleset Desired, bool Full, string Script, int CommandCount);
