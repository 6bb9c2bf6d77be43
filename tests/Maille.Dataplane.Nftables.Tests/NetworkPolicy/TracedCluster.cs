using System.Collections.Frozen;
using System.Net;
using Maille.Engine;
using Maille.Engine.NetworkPolicies;
using Maille.Kube;
using Maille.Model;

namespace Maille.Dataplane.Nftables.Tests.NetworkPolicies;

/// <summary>
/// A planned cluster with every node's rendered <c>maille-policy</c> table, and a connection's first packet followed
/// through the forward hook of each node on its path (<see cref="ForwardPath"/>) by <see cref="NftPacketTracer"/>: what
/// the rules as rendered decide, without a kernel.
/// </summary>
internal sealed class TracedCluster
{
    private readonly FrozenDictionary<string, NftPacketTracer> _tracers;

    /// <param name="cluster">The planned cluster.</param>
    /// <param name="denied">What the tables do with a denied connection.</param>
    /// <param name="foldAbove">Chains of more compiled rules than this are folded (0: every chain, <see cref="int.MaxValue"/>: none).</param>
    /// <param name="logGroup">The nfnetlink_log group denials are logged to, as in the lab (null: no log statement).</param>
    public TracedCluster(ClusterState cluster, PolicyDeniedAction denied = PolicyDeniedAction.Reject, int foldAbove = PolicyRulesetBuilder.DefaultFoldAbove, int? logGroup = null)
    {
        Cluster = cluster;
        Evaluator = NetworkPolicyEvaluator.For(cluster);
        Rulesets = cluster.Nodes.ToFrozenDictionary(n => n.Name, n => PolicyRulesetBuilder.Build(NodePolicyPlanner.Plan(cluster, n.Name), denied, foldAbove, logGroup: logGroup), StringComparer.Ordinal);
        _tracers = Rulesets.ToFrozenDictionary(r => r.Key, r => new NftPacketTracer(r.Value), StringComparer.Ordinal);
    }

    public ClusterState Cluster { get; }

    public NetworkPolicyEvaluator Evaluator { get; }

    public FrozenDictionary<string, NftRuleset> Rulesets { get; }

    /// <summary>The playground (examples/netpol-playground/pods.yaml) with <paramref name="policies"/>, chains folded as <paramref name="foldAbove"/> says.</summary>
    public static TracedCluster Playground(string policies, string? pods = null, int foldAbove = PolicyRulesetBuilder.DefaultFoldAbove, int? logGroup = null)
    {
        var result = TestKit.Cluster.Plan([new ManifestSource("pods.yaml", pods ?? PlaygroundPods), new ManifestSource("policies.yaml", policies)]);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return new TracedCluster(result.Cluster!, foldAbove: foldAbove, logGroup: logGroup);
    }

    /// <summary>A NetworkPolicy manifest; <paramref name="spec"/> is the YAML under <c>spec:</c>, written flush left.</summary>
    public static string Policy(string ns, string name, string spec) =>
        $"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n{string.Join("\n", spec.Split('\n').Select(l => "  " + l))}\n---\n";

    public static string PlaygroundPods { get; } = TestKit.Fixtures.PlaygroundPods;

    /// <summary>A pod (<c>x/a</c>, hostNetwork pods as their node's address) or an address.</summary>
    public PolicyEndpoint Endpoint(string name) => IPAddress.TryParse(name, out var address)
        ? PolicyEndpoint.External(address)
        : Evaluator.EndpointOf(Cluster.PodsByName[name]);

    /// <summary>Every pod, every node's address and one address outside the cluster.</summary>
    public IReadOnlyList<PolicyEndpoint> AllEndpoints =>
        [.. Cluster.Pods.Select(Evaluator.EndpointOf), .. Cluster.Nodes.Select(n => PolicyEndpoint.External(n.InternalIP!)), PolicyEndpoint.External(IPAddress.Parse("203.0.113.5"))];

    /// <summary>Each forward hook on the path and what the tracer found there.</summary>
    public IReadOnlyList<(string Node, NftTraceResult Result)> Trace(PolicyEndpoint from, PolicyEndpoint to, int port, Protocol protocol, string state = "new") =>
        [.. ForwardPath.Nodes(from, to, Cluster.Nodes).Select(node => (node, _tracers[node].TraceFilter(
            "forward",
            new NftTracePacket(from.Address!, to.Address!, PolicyRulesetBuilder.ProtocolName(protocol), port, NftIngress.Pod, state))))];

    public IReadOnlyList<(string Node, NftTraceResult Result)> Trace(string from, string to, string port = "80/TCP", string state = "new")
    {
        Assert.True(PortProtocol.TryParse(port, out var target), port);
        return Trace(Endpoint(from), Endpoint(to), target.Port, target.Protocol, state);
    }

    public static bool Passes(IReadOnlyList<(string Node, NftTraceResult Result)> path) => path.All(hop => hop.Result.Verdict == NftTraceVerdict.NotTranslated);

    public bool Allowed(string from, string to, string port = "80/TCP") => Passes(Trace(from, to, port));

    /// <summary>The counters of the policy rules that allowed it along the path (<c>ingress/x/allow/0</c>), in path order.</summary>
    public IReadOnlyList<string> AllowedBy(string from, string to, string port = "80/TCP") =>
        [.. Trace(from, to, port).SelectMany(hop => hop.Result.Steps).Select(step => step.Counter).OfType<string>()];

    /// <summary>The rule that denied it: <c>NODE CHAIN#N: TEXT</c>, or null when it passes.</summary>
    public string? DeniedBy(string from, string to, string port = "80/TCP") =>
        Trace(from, to, port).Where(hop => hop.Result.Verdict != NftTraceVerdict.NotTranslated).Select(hop => $"{hop.Node} {hop.Result.Decision}").FirstOrDefault();
}
