using Maille.Engine.ServiceProxy;

namespace Maille.Dataplane.Nftables;

/// <summary>
/// A prepared sync: the nftables transaction that takes the table from what <see cref="ServiceRulesetState"/> holds to
/// <see cref="Desired"/>, and the per-port updates to record once the kernel has accepted it.
/// </summary>
public sealed class ServiceRulesetChange
{
    public required NodeServicePlan Desired { get; init; }

    /// <summary>True when the transaction rewrites the whole table.</summary>
    public required bool Full { get; init; }

    private IReadOnlyList<string>? _steps;

    /// <summary>
    /// The transactions as <c>nft -f</c> text, to run in order (Maille.Dataplane.Linux's <c>NftContext.RunInOrder</c>): one for a full
    /// sync, up to two for a partial one (<see cref="DifferenceStages.Steps"/>). Written on first use (a full sync of a
    /// large table need not be).
    /// </summary>
    public IReadOnlyList<string> Steps => _steps ??= WriteSteps();

    /// <summary>Every step's commands, in order.</summary>
    public string Script => string.Concat(Steps);

    public required Func<IReadOnlyList<string>> WriteSteps { private get; init; }

    /// <summary>For a partial sync that rewrites no chain: the same change in steps (<see cref="StagedChange"/>), else null.</summary>
    public StagedChange? Staged { get; init; }

    /// <summary>For a full sync: the whole table, for a loader that does not go through text (Maille.Dataplane.Linux's <c>NftTableLoader</c>).</summary>
    public NftRuleset? Table { get; init; }

    /// <summary>Commands in <see cref="Script"/>; zero when nothing changed.</summary>
    public required int CommandCount { get; init; }

    /// <summary>Ports added, changed or removed: (id, new plan and rules, or null when removed).</summary>
    public required IReadOnlyList<(ServicePortId Id, ServicePortPlan? Plan, ServicePortRules? Rules)> Updates { get; init; }

    /// <summary>Endpoints (address, port) of UDP ports that are no longer used by the port that had them, for conntrack.</summary>
    public required IReadOnlyList<StaleUdpFlow> StaleUdpFlows { get; init; }

    /// <summary>For a full sync: the state to adopt.</summary>
    internal ServiceRulesetState? Replacement { get; init; }
}
