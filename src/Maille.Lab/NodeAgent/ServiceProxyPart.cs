using Maille.Dataplane.Linux.Nftables;
using Maille.Dataplane.Nftables;
using Maille.Engine;

namespace Maille.Lab.NodeAgents;

/// <summary>
/// The Service proxy as a part of a node agent (kube-proxy's role): each sync goes to the node's
/// <see cref="NodeServiceProxy"/>, and what it applied is published as one <see cref="ServiceProxySnapshot"/>.
/// </summary>
public sealed class ServiceProxyPart(NodeServiceProxy proxy) : INodeAgentPart
{
    private ServiceProxySnapshot? _applied;
    private long _staleUdpFlowFlushes;

    public string Name => "services";

    /// <summary>What the kernel last accepted (null before the first sync): read once, it pairs a plan with its table.</summary>
    public ServiceProxySnapshot? Applied => Volatile.Read(ref _applied);

    public NodePartDetails Details => Applied?.Details ?? new ServiceProxyDetails();

    public NodePartSync Sync(ClusterState cluster, bool full)
    {
        var result = proxy.Sync(cluster, full);
        if (result.Plan is { } plan)
        {
            _staleUdpFlowFlushes += result.StaleUdpFlowCount;
            Volatile.Write(ref _applied, new ServiceProxySnapshot(plan, new Lazy<NftRuleset>(() => ServiceRulesetBuilder.Build(plan)), new ServiceProxyDetails
            {
                ServicePortCount = result.ServicePortCount,
                RuleCount = result.RuleCount,
                ElementCount = result.ElementCount,
                StaleUdpFlowFlushCount = _staleUdpFlowFlushes,
            }));
        }

        return new NodePartSync
        {
            Full = result.Full,
            CommandCount = result.CommandCount,
            ApplyDuration = result.ApplyDuration,
            Error = result.Error,
            Warning = result.ConntrackError,
        };
    }

    public void Dispose() => proxy.Dispose();
}
