using Maille.Dataplane.Nftables;
using Maille.Engine.NetworkPolicies;
using Maille.Model;

namespace Maille.Engine.Tests.ClusterNetworkPolicies;

/// <summary>
/// The conformance world of Maille.Engine.Tests (its files are compiled into this project, see the .csproj), with
/// every expectation also walked through the rendered <c>maille-policy</c> tables of the nodes on the packet's path by
/// <see cref="NftPacketTracer"/>: the 24 upstream tests against the rules as nftables would run them, without a kernel.
/// </summary>
internal sealed partial class ConformanceWorld
{
    partial void CheckDataPlane(NetworkPolicyEvaluator evaluator, PolicyEndpoint from, PolicyEndpoint to, int port, Protocol protocol, string context, bool allowed)
    {
        var packet = new NftTracePacket(from.Address!, to.Address!, PolicyRulesetBuilder.ProtocolName(protocol), port, NftIngress.Pod, "new");
        var hops = ForwardPath.Nodes(from, to, Planned.Nodes)
            .Select(node => (Node: node, Result: new NftPacketTracer(PolicyRulesetBuilder.Build(NodePolicyPlanner.Plan(evaluator, Planned.Pods, Planned.Nodes, node))).TraceFilter("forward", packet)))
            .ToList();
        Assert.True(
            hops.All(hop => hop.Result.Verdict == NftTraceVerdict.NotTranslated) == allowed,
            $"{context}: expected {(allowed ? "allowed" : "denied")}; the rendered rules say {string.Join("; ", hops.Select(h => $"{h.Node}: {h.Result} by {h.Result.Decision?.ToString() ?? "nothing"}"))}");
    }
}
