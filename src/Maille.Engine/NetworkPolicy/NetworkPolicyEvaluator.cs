using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Net;
using System.Text;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// Exact NetworkPolicy v1 semantics over one snapshot of namespaces, pods, policies and nodes (see
/// docs/networkpolicy.md for every implementation-defined choice), with ClusterNetworkPolicies around them: per
/// direction, the Admin tier (by priority, then name; rules in order, the first match decides; Pass goes on), then
/// NetworkPolicy v1, then the Baseline tier (only for a pod NetworkPolicy does not isolate), then default allow (see
/// docs/cluster-network-policy.md).
/// <para>
/// Scale: pods are grouped into <see cref="PodClass"/>es lazily, on first use, each class knowing the policies that
/// isolate it (found through an index of policies by namespace). Construction only indexes the policies, so one
/// question (a trace) pays for the classes of its two endpoints only. A pod-to-pod question is answered per pair of
/// classes and memoised. The full matrix does not go through classes: <see cref="ReachabilityMatrix"/> uses bitsets.
/// </para>
/// </summary>
public sealed partial class NetworkPolicyEvaluator
{
    private readonly FrozenDictionary<string, ImmutableArray<NetworkPolicy>> _policiesByNamespace;
    private readonly FrozenDictionary<string, Labels> _namespaceLabels;
    private readonly FrozenDictionary<string, IPAddress> _nodeAddresses;
    private readonly ImmutableArray<IpBlock> _ipBlocks;
    private readonly ImmutableArray<Node> _nodes;
    private readonly ConcurrentDictionary<PodClassKey, PodClass> _classes = new();
    private readonly ConcurrentDictionary<Pod, PodClass> _classOfPod = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<(int From, int To, int Port, Protocol Protocol), Verdict> _verdicts = new();
    private int _nextClassId;

    public NetworkPolicyEvaluator(
        IEnumerable<Namespace> namespaces, IEnumerable<Pod> pods, IEnumerable<NetworkPolicy> policies, IEnumerable<Node> nodes, IEnumerable<ClusterNetworkPolicy>? clusterPolicies = null)
    {
        var ordered = policies.OrderBy(p => p.QualifiedName, StringComparer.Ordinal).ToList();
        var tiers = InEvaluationOrder(clusterPolicies ?? []);
        AdminTier = [.. tiers.Where(p => p.Tier == ClusterPolicyTier.Admin)];
        BaselineTier = [.. tiers.Where(p => p.Tier == ClusterPolicyTier.Baseline)];
        _policiesByNamespace = ordered.GroupBy(p => p.Namespace, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToImmutableArray(), StringComparer.Ordinal);
        _namespaceLabels = namespaces.ToFrozenDictionary(n => n.Name, n => n.Meta.Labels, StringComparer.Ordinal);
        _nodeAddresses = nodes.Where(n => n.InternalIP is not null).ToFrozenDictionary(n => n.Name, n => n.InternalIP!, StringComparer.Ordinal);
        _ipBlocks = [.. ordered.SelectMany(p => p.Ingress.Concat(p.Egress)).SelectMany(r => r.Peers)
            .Select(peer => peer.IpBlock).OfType<IpBlock>()
            .Concat(tiers.SelectMany(p => p.Egress).SelectMany(r => r.Peers).SelectMany(peer => peer.Networks)).Distinct()];
        _nodes = [.. nodes];

        // Classes are computed on first use (ClassOf), not here: a single question should not pay for every pod.
        _ = pods;
    }

    public static NetworkPolicyEvaluator For(ClusterState cluster) =>
        new(cluster.Namespaces, cluster.Pods, cluster.NetworkPolicies, cluster.Nodes, cluster.ClusterNetworkPolicies);

    /// <summary>The Admin tier's ClusterNetworkPolicies in evaluation order: priority, then name.</summary>
    public ImmutableArray<ClusterNetworkPolicy> AdminTier { get; }

    /// <summary>The Baseline tier's ClusterNetworkPolicies in evaluation order: priority, then name.</summary>
    public ImmutableArray<ClusterNetworkPolicy> BaselineTier { get; }

    /// <summary>
    /// Lower priority first; upstream leaves the order of equal priorities to the implementation, and Maille takes the
    /// policy name's ordinal order so that the same input always decides the same way (docs/cluster-network-policy.md).
    /// </summary>
    public static ImmutableArray<ClusterNetworkPolicy> InEvaluationOrder(IEnumerable<ClusterNetworkPolicy> policies) =>
        [.. policies.OrderBy(p => p.Tier).ThenBy(p => p.Priority).ThenBy(p => p.Name, StringComparer.Ordinal)];

    /// <summary>
    /// The classes computed so far. Classes are made lazily, by <see cref="ClassOf"/> (and so by every question about a
    /// pod), so right after construction this is 0.
    /// </summary>
    public int ClassCount => _classes.Count;

    /// <summary>The endpoint policy sees for a pod: the pod itself, or for a hostNetwork pod its node's address.</summary>
    public PolicyEndpoint EndpointOf(Pod pod) => pod.Spec.HostNetwork
        ? PolicyEndpoint.HostNetwork(pod, NodeAddressOf(pod) ?? pod.Status.PodIP)
        : PolicyEndpoint.ForPod(pod);

    public Verdict Evaluate(Pod from, Pod to, int port, Protocol protocol) => Evaluate(EndpointOf(from), EndpointOf(to), port, protocol);

    /// <summary>Whether a connection from <paramref name="from"/> to <paramref name="to"/> on port/protocol is allowed, and why.</summary>
    public Verdict Evaluate(PolicyEndpoint from, PolicyEndpoint to, int port, Protocol protocol)
    {
        if (from.Pod is { } self && to.Pod is { } target && ReferenceEquals(self, target))
        {
            return Verdict.Loopback;
        }

        if (IsOwnNode(from, to) || IsOwnNode(to, from))
        {
            return Verdict.OwnNode;
        }

        var fromClass = from.Pod is null ? null : ClassOf(from.Pod);
        var toClass = to.Pod is null ? null : ClassOf(to.Pod);
        if (fromClass is not null && toClass is not null)
        {
            return _verdicts.GetOrAdd((fromClass.Id, toClass.Id, port, protocol), key => Decide(fromClass, null, toClass, null, key.Port, key.Protocol));
        }

        return Decide(fromClass, from.Address, toClass, to.Address, port, protocol);
    }

    /// <summary>
    /// The verdict between two distinct pods of the given classes, computed without the memo (for callers that
    /// would fill it with many one-off pairs, such as the per-cell verdicts of <see cref="ReachabilityMatrix"/>).
    /// </summary>
    public Verdict EvaluateClasses(PodClass from, PodClass to, int port, Protocol protocol) => Decide(from, null, to, null, port, protocol);

    /// <summary>The policies that isolate a pod, per direction, in policy name order (none for a hostNetwork pod).</summary>
    public (ImmutableArray<string> Ingress, ImmutableArray<string> Egress) IsolationOf(Pod pod)
    {
        if (pod.Spec.HostNetwork)
        {
            return ([], []);
        }

        var podClass = ClassOf(pod);
        return ([.. podClass.IngressPolicies.Select(p => p.QualifiedName)], [.. podClass.EgressPolicies.Select(p => p.QualifiedName)]);
    }

    /// <summary>The class of a non-hostNetwork pod (computed and remembered on first use).</summary>
    public PodClass ClassOf(Pod pod) => _classOfPod.GetOrAdd(pod, p =>
    {
        var key = KeyOf(p);
        return _classes.GetOrAdd(key, _ => NewClass(p));
    });

    private PodClass NewClass(Pod pod)
    {
        var policies = _policiesByNamespace.GetValueOrDefault(pod.Namespace, []);
        var selecting = policies.Where(p => p.PodSelector.Matches(pod.Labels)).ToList();
        var namespaceLabels = NamespaceLabelsOf(pod.Namespace);
        return new PodClass(
            Interlocked.Increment(ref _nextClassId),
            pod,
            namespaceLabels,
            [.. selecting.Where(p => p.EffectivePolicyTypes.HasFlag(PolicyDirection.Ingress))],
            [.. selecting.Where(p => p.EffectivePolicyTypes.HasFlag(PolicyDirection.Egress))])
        {
            AdminPolicies = [.. AdminTier.Where(p => p.Subject.Matches(namespaceLabels, pod.Labels))],
            BaselinePolicies = [.. BaselineTier.Where(p => p.Subject.Matches(namespaceLabels, pod.Labels))],
        };
    }

    private PodClassKey KeyOf(Pod pod)
    {
        var ports = string.Join(",", pod.Spec.AllPorts.Where(p => p.Name is not null)
            .Select(p => $"{p.Name}/{p.Port}/{p.Protocol}").Order(StringComparer.Ordinal));
        var membership = new StringBuilder(_ipBlocks.Length);
        foreach (var block in _ipBlocks)
        {
            membership.Append(pod.Status.PodIP is { } ip && block.Contains(ip) ? '1' : '0');
        }

        return new PodClassKey(pod.Namespace, pod.Labels, ports, membership.ToString());
    }

    /// <summary>The policies of a namespace, in <c>namespace/name</c> order.</summary>
    internal ImmutableArray<NetworkPolicy> PoliciesIn(string ns) => _policiesByNamespace.GetValueOrDefault(ns, []);

    /// <summary>The labels namespace selectors see for a namespace: its own plus <c>kubernetes.io/metadata.name</c>.</summary>
    internal Labels NamespaceLabelsOf(string name) =>
        _namespaceLabels.TryGetValue(name, out var labels) ? labels.With(Namespace.NameLabel, name) : Labels.Of((Namespace.NameLabel, name));

    private IPAddress? NodeAddressOf(Pod pod) =>
        pod.Spec.NodeName is { } node && _nodeAddresses.TryGetValue(node, out var address) ? address : null;

    /// <summary>True when <paramref name="pod"/> is a pod and <paramref name="other"/> is its own node's address.</summary>
    private bool IsOwnNode(PolicyEndpoint pod, PolicyEndpoint other) =>
        pod.Pod is { } p && other.Pod is null && other.Address is { } address && NodeAddressOf(p) is { } node && node.Equals(address);
}
