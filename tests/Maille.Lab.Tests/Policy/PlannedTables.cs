using System.Net;
using Maille.Dataplane.Nftables;
using Maille.Engine;
using Maille.Engine.NetworkPolicies;
using Maille.Lab.Policy;
using Maille.TestKit;

namespace Maille.Lab.Tests.Policy;

/// <summary>
/// The playground (examples/netpol-playground/pods.yaml) with some policies, each node's plan and the table rendered
/// from it, and a walk of one node's table read as <see cref="PolicyWalker"/> reads a live enforcer's: no kernel.
/// </summary>
internal sealed class PlannedTables
{
    public static readonly string Pods = Fixtures.PlaygroundPods;

    public PlannedTables(string policies)
    {
        ClusterState = Cluster.Valid(Pods + "\n---\n" + policies);
        Plans = ClusterState.Nodes.ToDictionary(n => n.Name, n => NodePolicyPlanner.Plan(ClusterState, n.Name), StringComparer.Ordinal);
        Tables = Plans.ToDictionary(p => p.Key, p => PolicyRulesetBuilder.Build(p.Value, PolicyDeniedAction.Reject), StringComparer.Ordinal);
    }

    public ClusterState ClusterState { get; }

    public Dictionary<string, NodePolicyPlan> Plans { get; }

    public Dictionary<string, NftRuleset> Tables { get; }

    public IPAddress AddressOf(string pod) => ClusterState.PodsByName[pod].Status.PodIP!;

    /// <summary>
    /// <paramref name="from"/> → <paramref name="to"/> walked through <paramref name="node"/>'s table, read with
    /// <paramref name="plan"/> (the node's own plan unless given: a plan the table was not rendered from).
    /// </summary>
    public PolicyWalk Walk(string node, string from, string to, int port = 80, string protocol = "tcp", NodePolicyPlan? plan = null)
    {
        var source = IPAddress.TryParse(from, out var a) ? a : AddressOf(from);
        var destination = IPAddress.TryParse(to, out var b) ? b : AddressOf(to);
        var table = Tables[node];
        var trace = new NftPacketTracer(table).TraceFilter("forward", new NftTracePacket(source, destination, protocol, port, NftIngress.Pod));
        var baseChains = table.Chains.Where(c => c.Hook is not null).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        return PolicyWalkReader.Read(plan ?? Plans[node], baseChains, trace, source, destination, protocol, port);
    }

    /// <summary>A NetworkPolicy manifest; <paramref name="spec"/> is the YAML under <c>spec:</c>, written flush left.</summary>
    public static string Policy(string ns, string name, string spec) =>
        $"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n{string.Join("\n", spec.Split('\n').Select(l => "  " + l))}\n---\n";
}
