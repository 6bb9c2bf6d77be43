using Maille.Dataplane.Nftables;

namespace Maille.Lab.NodeAgents;

/// <summary>Settings of a <see cref="NodePolicyEnforcer"/> (docs/networkpolicy-dataplane.md).</summary>
public sealed record NodePolicyEnforcerOptions
{
    /// <summary>What a connection no rule allows meets: rejected with ICMP admin-prohibited (default) or dropped.</summary>
    public PolicyDeniedAction DeniedAction { get; init; } = PolicyDeniedAction.Reject;

    /// <summary>
    /// A policy chain with more compiled rules than this is folded into one map lookup (a first packet meets two
    /// rules, not one per rule); shorter chains list their rules over shared peer sets. 0 folds every chain with rules.
    /// </summary>
    public int FoldChainsAbove { get; init; } = PolicyRulesetBuilder.DefaultFoldAbove;

    /// <summary>
    /// After a change, delete the conntrack entries of connections the new policy denies, so that they stop at once
    /// instead of living on as established (kube-network-policies' strict mode). Needs the <c>conntrack</c> command.
    /// </summary>
    public bool FlushDeniedConnections { get; init; }

    /// <summary>
    /// Lift the kernel's ICMP rate limit (<c>net.ipv4.icmp_ratelimit = 0</c>) in the node's namespace, so that every
    /// rejected connection gets its answer: by default Linux sends about one destination-unreachable per second to
    /// a source after a burst of six, and further denied attempts would wait for their own timeout.
    /// </summary>
    public bool LiftIcmpRateLimit { get; init; } = true;

    /// <summary>
    /// The nfnetlink_log group each chain's denying rule logs denied packets to, for <c>maille observe</c>
    /// (<see cref="PolicyDenialLog"/>); null renders no log statement. Logging decides nothing, and costs nothing while
    /// no one listens.
    /// </summary>
    public int? DenialLogGroup { get; init; } = PolicyDenialLog.DefaultGroup;
}
