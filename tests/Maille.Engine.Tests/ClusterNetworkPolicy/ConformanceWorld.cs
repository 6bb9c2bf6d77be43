using Maille.Engine.NetworkPolicies;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Engine.Tests.ClusterNetworkPolicies;

/// <summary>
/// The world of network-policy-api's conformance tests (the fixture cnp-conformance: houses gryffindor, slytherin,
/// hufflepuff, ravenclaw with two pods each, and the hostNetwork centaur pods in forbidden-forrest), planned once, with
/// one manifest's policies. An upstream test changes its policies between subtests and keeps the changes; so does a
/// world: <see cref="SwapRules"/>, <see cref="SetAction"/> and the others replace the model, and every
/// <see cref="Expect"/> asks a fresh evaluator, and for two pods also the bitset matrix, which must agree.
/// Pods are named <c>house/pod</c>, e.g. <c>gryffindor/harry-potter-0</c>. Every expectation is also asked of the nodes'
/// compiled plans along the packet's path (<see cref="NodePolicyJudge"/>), and, where this file is compiled into
/// Maille.Dataplane.Nftables.Tests, of the rendered tables through the packet tracer (<see cref="CheckDataPlane"/>).
/// </summary>
internal sealed partial class ConformanceWorld
{
    private const string Prefix = "network-policy-conformance-";

    /// <summary>The labels that select the gryffindor namespace (or its pods).</summary>
    public static readonly (string, string)[] Gryffindor = [("conformance-house", "gryffindor")];

    /// <summary>The labels that select the slytherin namespace (or its pods).</summary>
    public static readonly (string, string)[] Slytherin = [("conformance-house", "slytherin")];
    private readonly ClusterState _cluster;
    private readonly List<ClusterNetworkPolicy> _policies;
    private readonly List<NetworkPolicy> _networkPolicies;
    private readonly List<Namespace> _namespaces;
    private string _case = "";

    private ConformanceWorld(ClusterState cluster)
    {
        _cluster = cluster;
        _policies = [.. cluster.ClusterNetworkPolicies];
        _networkPolicies = [.. cluster.NetworkPolicies];
        _namespaces = [.. cluster.Namespaces];
    }

    public static ConformanceWorld With(ConformanceManifests manifests) => new(Cluster.Valid(
        Fixtures.Yaml("cnp-conformance")
        + string.Concat(manifests.Policies.Select(p => "---\n" + p.Yaml()))
        + string.Concat(manifests.NetworkPolicies.Select(n => "---\n" + n + "\n"))));

    /// <summary>Names the upstream subtest the next expectations belong to (failures quote it).</summary>
    public void Case(string title) => _case = title;

    public void SwapRules(string policy, PolicyDirection direction, int first, int second) => Rules(policy, direction, rules =>
    {
        (rules[first], rules[second]) = (rules[second], rules[first]);
    });

    public void SetAction(string policy, PolicyDirection direction, int rule, ClusterPolicyAction action) =>
        Rules(policy, direction, rules => rules[rule] = rules[rule] with { Action = action });

    public void SetPorts(string policy, PolicyDirection direction, int rule, params ClusterPolicyPort[] ports) =>
        Rules(policy, direction, rules => rules[rule] = rules[rule] with { Ports = new(ports) });

    public void SetPriority(string policy, int priority) => Replace(policy, p => p with { Priority = priority });

    /// <summary>A new first egress rule whose one peer is the <paramref name="cidrs"/> as networks.</summary>
    public void PrependEgress(string policy, string name, ClusterPolicyAction action, params string[] cidrs) => Rules(policy, PolicyDirection.Egress, rules =>
        rules.Insert(0, new ClusterPolicyRule
        {
            Name = name,
            Action = action,
            Peers = new([new ClusterPolicyPeer { Networks = new(cidrs.Select(c => new IpBlock(c, EquatableArray<string>.Empty))) }]),
        }));

    /// <summary>Replaces a house namespace's labels with <c>conformance-house</c> = <paramref name="house"/> (and its name label, which the API server keeps).</summary>
    public void RelabelNamespace(string ns, string house)
    {
        var index = _namespaces.FindIndex(n => n.Name == Prefix + ns);
        var target = _namespaces[index];
        _namespaces[index] = target with { Meta = target.Meta with { Labels = Labels.Of(("conformance-house", house), (Namespace.NameLabel, target.Name)) } };
    }

    public void DeleteNetworkPolicy(string ns, string name) =>
        Assert.Equal(1, _networkPolicies.RemoveAll(p => p.Namespace == Prefix + ns && p.Meta.Name == name));

    /// <summary>The pod's address as a /32 network.</summary>
    public string Cidr(string pod) => $"{Pod(pod).Status.PodIP}/32";

    public NetworkPolicyEvaluator Evaluator() => new(_namespaces, _cluster.Pods, _networkPolicies, _cluster.Nodes, _policies);

    public Verdict Verdict(string from, string to, int port, Protocol protocol) => Evaluator().Evaluate(Pod(from), Pod(to), port, protocol);

    /// <summary>Asserts the connection's fate, quoting the subtest and the engine's reason when it differs.</summary>
    public void Expect(string from, string to, int port, Protocol protocol, bool allowed)
    {
        var evaluator = Evaluator();
        var (source, destination) = (Pod(from), Pod(to));
        var verdict = evaluator.Evaluate(source, destination, port, protocol);
        Assert.True(verdict.Allowed == allowed, $"{_case}: {from} → {to} {port}/{protocol}: expected {(allowed ? "allowed" : "denied")}, the engine says {verdict}");
        var (fromEndpoint, toEndpoint) = (evaluator.EndpointOf(source), evaluator.EndpointOf(destination));
        var path = ForwardPath.Nodes(fromEndpoint, toEndpoint, _cluster.Nodes)
            .Select(node => (Node: node, Decision: new NodePolicyJudge(NodePolicyPlanner.Plan(evaluator, _cluster.Pods, _cluster.Nodes, node)).Forward(fromEndpoint.Address!, toEndpoint.Address!, port, protocol)))
            .ToList();
        Assert.True(
            path.All(hop => hop.Decision.Allowed) == allowed,
            $"{_case}: {from} → {to} {port}/{protocol}: the nodes' plans disagree with the engine: {string.Join("; ", path.Select(hop => $"{hop.Node}: {hop.Decision}"))}");
        CheckDataPlane(evaluator, fromEndpoint, toEndpoint, port, protocol, $"{_case}: {from} → {to} {port}/{protocol}", allowed);
        if (source.Spec.HostNetwork || destination.Spec.HostNetwork)
        {
            return;
        }

        var pods = _cluster.Pods.Where(p => !p.Spec.HostNetwork).ToList();
        var matrix = ReachabilityMatrix.Compute(evaluator, pods, [new PortProtocol(port, protocol)]);
        var row = matrix.Pods.IndexOf(source);
        var column = matrix.Pods.IndexOf(destination);
        Assert.True(matrix.IsAllowed(0, row, column) == allowed, $"{_case}: {from} → {to} {port}/{protocol}: the matrix disagrees with the evaluator");
    }

    /// <summary>Where a data plane's tests compile this file: what its rendered rules decide must be <paramref name="allowed"/>.</summary>
    partial void CheckDataPlane(NetworkPolicyEvaluator evaluator, PolicyEndpoint from, PolicyEndpoint to, int port, Protocol protocol, string context, bool allowed);

    private Pod Pod(string name) => _cluster.PodsByName[Prefix + name];

    private void Rules(string policy, PolicyDirection direction, Action<List<ClusterPolicyRule>> change) => Replace(policy, p =>
    {
        List<ClusterPolicyRule> rules = [.. p.RulesFor(direction)];
        change(rules);
        return direction == PolicyDirection.Ingress ? p with { Ingress = new(rules) } : p with { Egress = new(rules) };
    });

    private void Replace(string policy, Func<ClusterNetworkPolicy, ClusterNetworkPolicy> change)
    {
        var index = _policies.FindIndex(p => p.Name == policy);
        Assert.True(index >= 0, $"no ClusterNetworkPolicy {policy}");
        _policies[index] = change(_policies[index]);
    }
}
