using Maille.Engine;
using Maille.Engine.NetworkPolicies;
using Maille.Model;

namespace Maille.TestKit;

/// <summary>
/// The world of network-policy-api's conformance tests (the fixture cnp-conformance: houses gryffindor, slytherin,
/// hufflepuff, ravenclaw with two pods each, and the hostNetwork centaur pods in forbidden-forrest), planned once, with
/// one manifest's policies. An upstream test changes its policies between subtests and keeps the changes; so does a
/// world: <see cref="SwapRules"/>, <see cref="SetAction"/> and the others replace the model and call
/// <see cref="Changed"/>, and <see cref="Expect"/> is answered by the subclass (the engine, the rendered rules, real
/// packets). Pods are named <c>house/pod</c>, e.g. <c>gryffindor/harry-potter-0</c>.
/// </summary>
internal abstract class ConformanceCluster
{
    /// <summary>The labels that select the gryffindor namespace (or its pods).</summary>
    public static readonly (string, string)[] Gryffindor = [("conformance-house", "gryffindor")];

    /// <summary>The labels that select the slytherin namespace (or its pods).</summary>
    public static readonly (string, string)[] Slytherin = [("conformance-house", "slytherin")];

    private const string Prefix = "network-policy-conformance-";

    private readonly List<ClusterNetworkPolicy> _policies;
    private readonly List<NetworkPolicy> _networkPolicies;
    private readonly List<Namespace> _namespaces;

    protected ConformanceCluster(ClusterState planned)
    {
        Planned = planned;
        _policies = [.. planned.ClusterNetworkPolicies];
        _networkPolicies = [.. planned.NetworkPolicies];
        _namespaces = [.. planned.Namespaces];
    }

    /// <summary>The cluster as first planned (pods, nodes and addresses never change; policies and labels do).</summary>
    protected ClusterState Planned { get; }

    /// <summary>The upstream subtest the next expectations belong to (failures quote it).</summary>
    protected string CaseTitle { get; private set; } = "";

    /// <summary>The fixture with <paramref name="manifests"/>' policies, planned.</summary>
    public static ClusterState Plan(ConformanceManifests manifests) => Cluster.Valid(
        Fixtures.Yaml("cnp-conformance")
        + string.Concat(manifests.Policies.Select(p => "---\n" + p.Yaml()))
        + string.Concat(manifests.NetworkPolicies.Select(n => "---\n" + n + "\n")));

    /// <summary>A conformance pod's qualified name (<c>network-policy-conformance-house/pod</c>) from its short one (<c>house/pod</c>).</summary>
    public static string QualifiedName(string pod) => Prefix + pod;

    /// <summary>Names the upstream subtest the next expectations belong to (failures quote it).</summary>
    public void Case(string title) => CaseTitle = title;

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
        Changed();
    }

    public void DeleteNetworkPolicy(string ns, string name)
    {
        Assert.Equal(1, _networkPolicies.RemoveAll(p => p.Namespace == Prefix + ns && p.Meta.Name == name));
        Changed();
    }

    /// <summary>The pod's address as a /32 network.</summary>
    public string Cidr(string pod) => $"{Pod(pod).Status.PodIP}/32";

    /// <summary>Asserts (or, live, records) that the connection is <paramref name="allowed"/>.</summary>
    public abstract void Expect(string from, string to, int port, Protocol protocol, bool allowed);

    public NetworkPolicyEvaluator Evaluator() => new(_namespaces, Planned.Pods, _networkPolicies, Planned.Nodes, _policies);

    public Verdict Verdict(string from, string to, int port, Protocol protocol) => Evaluator().Evaluate(Pod(from), Pod(to), port, protocol);

    /// <summary>The planned cluster with the policies and namespace labels as changed so far.</summary>
    public ClusterState State() => new(
        Planned.Config,
        Planned.Nodes,
        _namespaces,
        Planned.Pods,
        Planned.Services,
        Planned.EndpointSlices,
        ManifestSet.Empty with { NetworkPolicies = new(_networkPolicies), ClusterNetworkPolicies = new(_policies), Workloads = new(Planned.Workloads) },
        Planned.Warnings);

    protected Pod Pod(string name) => Planned.PodsByName[Prefix + name];

    /// <summary>Called after every change to the policies or labels (a live world programs the nodes again).</summary>
    protected virtual void Changed()
    {
    }

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
        Changed();
    }
}
