using Maille.Engine.NetworkPolicies;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Engine.Tests.ClusterNetworkPolicies;

/// <summary>
/// The conformance world (<see cref="ConformanceCluster"/>) answered offline: every <see cref="Expect"/> asks a fresh
/// evaluator, and for two pods also the bitset matrix, which must agree; and the nodes' compiled plans along the
/// packet's path (<see cref="NodePolicyJudge"/>), and, where this file is compiled into Maille.Dataplane.Nftables.Tests,
/// the rendered tables through the packet tracer (<see cref="CheckDataPlane"/>).
/// </summary>
internal sealed partial class ConformanceWorld : ConformanceCluster
{
    private ConformanceWorld(ClusterState cluster)
        : base(cluster)
    {
    }

    public static ConformanceWorld With(ConformanceManifests manifests) => new ConformanceWorld(Plan(manifests));

    /// <summary>Asserts the connection's fate, quoting the subtest and the engine's reason when it differs.</summary>
    public override void Expect(string from, string to, int port, Protocol protocol, bool allowed)
    {
        var evaluator = Evaluator();
        var (source, destination) = (Pod(from), Pod(to));
        var verdict = evaluator.Evaluate(source, destination, port, protocol);
        Assert.True(verdict.Allowed == allowed, $"{CaseTitle}: {from} → {to} {port}/{protocol}: expected {(allowed ? "allowed" : "denied")}, the engine says {verdict}");
        var (fromEndpoint, toEndpoint) = (evaluator.EndpointOf(source), evaluator.EndpointOf(destination));
        var path = ForwardPath.Nodes(fromEndpoint, toEndpoint, Planned.Nodes)
            .Select(node => (Node: node, Decision: new NodePolicyJudge(NodePolicyPlanner.Plan(evaluator, Planned.Pods, Planned.Nodes, node)).Forward(fromEndpoint.Address!, toEndpoint.Address!, port, protocol)))
            .ToList();
        Assert.True(
            path.All(hop => hop.Decision.Allowed) == allowed,
            $"{CaseTitle}: {from} → {to} {port}/{protocol}: the nodes' plans disagree with the engine: {string.Join("; ", path.Select(hop => $"{hop.Node}: {hop.Decision}"))}");
        CheckDataPlane(evaluator, fromEndpoint, toEndpoint, port, protocol, $"{CaseTitle}: {from} → {to} {port}/{protocol}", allowed);
        if (source.Spec.HostNetwork || destination.Spec.HostNetwork)
        {
            return;
        }

        var pods = Planned.Pods.Where(p => !p.Spec.HostNetwork).ToList();
        var matrix = ReachabilityMatrix.Compute(evaluator, pods, [new PortProtocol(port, protocol)]);
        var row = matrix.Pods.IndexOf(source);
        var column = matrix.Pods.IndexOf(destination);
        Assert.True(matrix.IsAllowed(0, row, column) == allowed, $"{CaseTitle}: {from} → {to} {port}/{protocol}: the matrix disagrees with the evaluator");
    }

    /// <summary>Where a data plane's tests compile this file: what its rendered rules decide must be <paramref name="allowed"/>.</summary>
    partial void CheckDataPlane(NetworkPolicyEvaluator evaluator, PolicyEndpoint from, PolicyEndpoint to, int port, Protocol protocol, string context, bool allowed);
}
