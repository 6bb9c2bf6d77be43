using Maille.Dataplane.Nftables;
using Maille.Engine.ServiceProxy;

namespace Maille.Lab.NodeAgents;

/// <summary>
/// What a node's Service proxy last applied, as one value: the plan, its table (rendered from the plan when first
/// read, for tracing; dynamic affinity sets without their elements) and the counts.
/// </summary>
public sealed record ServiceProxySnapshot(NodeServicePlan Plan, Lazy<NftRuleset> Table, ServiceProxyDetails Details)
{
    public NftRuleset Ruleset => Table.Value;
}
