using Maille.Engine.ServiceProxy;

namespace Maille.Dataplane.Linux.Nftables;

/// <summary>What one <see cref="NodeServiceProxy.Sync"/> did, and what the table holds after it.</summary>
public sealed record NodeServiceProxySync
{
    /// <summary>The plan just applied; null when the kernel refused it.</summary>
    public required NodeServicePlan? Plan { get; init; }

    public required bool Full { get; init; }

    /// <summary>nftables commands in the transaction (0: nothing changed).</summary>
    public int CommandCount { get; init; }

    /// <summary>The part spent in libnftables or netlink (parse and kernel).</summary>
    public TimeSpan ApplyDuration { get; init; }

    /// <summary>nft's own message when the kernel refused the change (with line and column); null when applied.</summary>
    public string? Error { get; init; }

    /// <summary>What went wrong flushing the conntrack entries of UDP endpoints that went away (the rules are in).</summary>
    public string? ConntrackError { get; init; }

    /// <summary>UDP endpoints whose conntrack entries this sync asked to flush.</summary>
    public int StaleUdpFlowCount { get; init; }

    public int ServicePortCount { get; init; }

    public int RuleCount { get; init; }

    /// <summary>Elements of the table's sets and maps, dynamic affinity sets excluded.</summary>
    public int ElementCount { get; init; }
}
