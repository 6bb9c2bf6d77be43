using Maille.Engine.LoadBalancing;
using Maille.Model;

namespace Maille.Engine;

/// <summary>
/// The planned cluster: every object with what the engine decided filled in (node CIDRs and addresses, pods with
/// node and IP, Services with ClusterIP and node ports, EndpointSlices). Immutable; indexes are built once.
/// </summary>
public sealed partial class ClusterState
{
    public ClusterState(
        ClusterConfig config,
        IEnumerable<Node> nodes,
        IEnumerable<Namespace> namespaces,
        IEnumerable<Pod> pods,
        IEnumerable<Service> services,
        IEnumerable<EndpointSlice> endpointSlices,
        ManifestSet manifests,
        IEnumerable<Diagnostic> warnings)
    {
        Config = config;
        Nodes = [.. nodes];
        Namespaces = InOrder(namespaces, (a, b) => string.CompareOrdinal(a.Name, b.Name));
        Pods = InOrder(pods, (a, b) => CompareQualified(a.Namespace, a.Name, b.Namespace, b.Name));
        Services = InOrder(services, (a, b) => CompareQualified(a.Namespace, a.Name, b.Namespace, b.Name));
        EndpointSlices = InOrder(endpointSlices, CompareSlices);
        NetworkPolicies = InOrder(manifests.NetworkPolicies, (a, b) => string.CompareOrdinal(a.QualifiedName, b.QualifiedName));
        ClusterNetworkPolicies = InOrder(manifests.ClusterNetworkPolicies, (a, b) => string.CompareOrdinal(a.Name, b.Name));
        AuthorizationPolicies = InOrder(manifests.AuthorizationPolicies, (a, b) => CompareQualified(a.Namespace, a.Name, b.Namespace, b.Name));
        PeerAuthentications = InOrder(manifests.PeerAuthentications, (a, b) => CompareQualified(a.Namespace, a.Name, b.Namespace, b.Name));
        Ingresses = InOrder(manifests.Ingresses, (a, b) => string.CompareOrdinal(a.Meta.QualifiedName, b.Meta.QualifiedName));
        IngressClasses = InOrder(manifests.IngressClasses, (a, b) => string.CompareOrdinal(a.Name, b.Name));
        Secrets = InOrder(manifests.Secrets, (a, b) => string.CompareOrdinal(a.Meta.QualifiedName, b.Meta.QualifiedName));
        GatewayClasses = InOrder(manifests.GatewayClasses, (a, b) => string.CompareOrdinal(a.Name, b.Name));
        Gateways = InOrder(manifests.Gateways, (a, b) => string.CompareOrdinal(a.Meta.QualifiedName, b.Meta.QualifiedName));
        HttpRoutes = InOrder(manifests.HttpRoutes, (a, b) => string.CompareOrdinal(a.Meta.QualifiedName, b.Meta.QualifiedName));
        GrpcRoutes = InOrder(manifests.GrpcRoutes, (a, b) => string.CompareOrdinal(a.Meta.QualifiedName, b.Meta.QualifiedName));
        ReferenceGrants = InOrder(manifests.ReferenceGrants, (a, b) => string.CompareOrdinal(a.Meta.QualifiedName, b.Meta.QualifiedName));
        Workloads = [.. manifests.Workloads];
        ControllerRevisions = [.. manifests.ControllerRevisions];
        Skipped = [.. manifests.Skipped];
        Warnings = [.. warnings];
        // Plain dictionaries: a frozen one analyses its keys to hash them faster, which costs more than the lookups
        // it saves when a lab of 10,000 Services makes a new state on a change.
        NodesByName = Nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        NamespacesByName = Namespaces.ToDictionary(n => n.Name, StringComparer.Ordinal);
        PodsByName = Pods.ToDictionary(p => p.QualifiedName, StringComparer.Ordinal);
        ServicesByName = Services.ToDictionary(s => s.QualifiedName, StringComparer.Ordinal);
        SlicesByService = EndpointSlices.Where(s => s.ServiceName is not null)
            .GroupBy(s => $"{s.Namespace}/{s.ServiceName}", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<EndpointSlice>)[.. g], StringComparer.Ordinal);
    }

    /// <summary>
    /// The items sorted by <paramref name="compare"/>, stably. A lab's input arrives sorted already (its objects are
    /// stored by key), so the common case is one pass that finds nothing out of place.
    /// </summary>
    private static T[] InOrder<T>(IEnumerable<T> items, Comparison<T> compare)
    {
        T[] array = [.. items];
        var runStarts = new List<int>();
        for (var i = 1; i < array.Length; i++)
        {
            if (compare(array[i - 1], array[i]) > 0)
            {
                runStarts.Add(i);
                if (runStarts.Count > 4)
                {
                    return [.. array.Order(Comparer<T>.Create(compare))];
                }
            }
        }

        // A few sorted runs (a lab's objects, then the system objects it adds) are merged, each into what came before.
        if (runStarts.Count == 0)
        {
            return array;
        }

        var merged = array[..runStarts[0]];
        for (var r = 0; r < runStarts.Count; r++)
        {
            var end = r + 1 < runStarts.Count ? runStarts[r + 1] : array.Length;
            merged = Merge(merged, array.AsSpan(runStarts[r], end - runStarts[r]), compare);
        }

        return merged;
    }

    /// <summary>Two sorted runs as one, the left run's item first on ties (the order a stable sort keeps).</summary>
    private static T[] Merge<T>(ReadOnlySpan<T> left, ReadOnlySpan<T> right, Comparison<T> compare)
    {
        var result = new T[left.Length + right.Length];
        int l = 0, r = 0, o = 0;
        while (l < left.Length && r < right.Length)
        {
            result[o++] = compare(left[l], right[r]) <= 0 ? left[l++] : right[r++];
        }

        left[l..].CopyTo(result.AsSpan(o));
        right[r..].CopyTo(result.AsSpan(o + left.Length - l));
        return result;
    }

    private static int CompareSlices(EndpointSlice a, EndpointSlice b) =>
        string.CompareOrdinal(a.Namespace, b.Namespace) is var byNamespace and not 0 ? byNamespace : string.CompareOrdinal(a.Meta.Name, b.Meta.Name);

    /// <summary>Orders <c>namespace/name</c> as the ordinal order of that string would, without making it.</summary>
    private static int CompareQualified(string ns1, string name1, string ns2, string name2)
    {
        var prefix = string.CompareOrdinal(ns1, 0, ns2, 0, Math.Min(ns1.Length, ns2.Length));
        if (prefix != 0)
        {
            return prefix;
        }

        if (ns1.Length == ns2.Length)
        {
            return string.CompareOrdinal(name1, name2);
        }

        // One namespace is a prefix of the other: compare the '/' that follows the shorter with the longer's next character.
        return ns1.Length < ns2.Length ? '/' - ns2[ns1.Length] : ns1[ns2.Length] - '/';
    }

    /// <summary>
    /// A copy of <paramref name="source"/> with pods, Services and slices replaced, reusing every other list and index
    /// (so a consumer can tell an unchanged Service's slices by reference), and the name indexes of pods and Services
    /// when those lists are the source's. <paramref name="slicesByService"/> must index <paramref name="endpointSlices"/>;
    /// every list keeps the constructor's order.
    /// </summary>
    private ClusterState(ClusterState source, IReadOnlyList<Pod> pods, IReadOnlyList<Service> services, IReadOnlyList<EndpointSlice> endpointSlices, IReadOnlyDictionary<string, IReadOnlyList<EndpointSlice>> slicesByService, IReadOnlyList<Diagnostic> warnings, IReadOnlyDictionary<string, Pod>? podsByName = null, IReadOnlyDictionary<string, Service>? servicesByName = null)
    {
        Config = source.Config;
        Nodes = source.Nodes;
        Namespaces = source.Namespaces;
        Pods = pods;
        Services = services;
        EndpointSlices = endpointSlices;
        NetworkPolicies = source.NetworkPolicies;
        ClusterNetworkPolicies = source.ClusterNetworkPolicies;
        AuthorizationPolicies = source.AuthorizationPolicies;
        PeerAuthentications = source.PeerAuthentications;
        Ingresses = source.Ingresses;
        IngressClasses = source.IngressClasses;
        Secrets = source.Secrets;
        GatewayClasses = source.GatewayClasses;
        Gateways = source.Gateways;
        HttpRoutes = source.HttpRoutes;
        GrpcRoutes = source.GrpcRoutes;
        ReferenceGrants = source.ReferenceGrants;
        Workloads = source.Workloads;
        ControllerRevisions = source.ControllerRevisions;
        Skipped = source.Skipped;
        Warnings = warnings;
        LoadBalancing = source.LoadBalancing;
        NodesByName = source.NodesByName;
        NamespacesByName = source.NamespacesByName;
        PodsByName = podsByName ?? (ReferenceEquals(pods, source.Pods) ? source.PodsByName : pods.ToDictionary(p => p.QualifiedName, StringComparer.Ordinal));
        ServicesByName = servicesByName ?? (ReferenceEquals(services, source.Services) ? source.ServicesByName : services.ToDictionary(s => s.QualifiedName, StringComparer.Ordinal));
        SlicesByService = slicesByService;
    }

    public ClusterConfig Config { get; }

    public IReadOnlyList<Node> Nodes { get; }

    public IReadOnlyList<Namespace> Namespaces { get; }

    public IReadOnlyList<Pod> Pods { get; }

    public IReadOnlyList<Service> Services { get; }

    public IReadOnlyList<EndpointSlice> EndpointSlices { get; }

    public IReadOnlyList<NetworkPolicy> NetworkPolicies { get; }

    /// <summary>ClusterNetworkPolicies (and v1alpha1 Admin/BaselineAdminNetworkPolicies read as them), by name.</summary>
    public IReadOnlyList<ClusterNetworkPolicy> ClusterNetworkPolicies { get; }

    /// <summary>Istio AuthorizationPolicies, by namespace then name.</summary>
    public IReadOnlyList<AuthorizationPolicy> AuthorizationPolicies { get; }

    /// <summary>Istio PeerAuthentications, by namespace then name.</summary>
    public IReadOnlyList<PeerAuthentication> PeerAuthentications { get; }

    public IReadOnlyList<Ingress> Ingresses { get; }

    public IReadOnlyList<IngressClass> IngressClasses { get; }

    public IReadOnlyList<Secret> Secrets { get; }

    public IReadOnlyList<GatewayClass> GatewayClasses { get; }

    public IReadOnlyList<Gateway> Gateways { get; }

    public IReadOnlyList<HttpRoute> HttpRoutes { get; }

    public IReadOnlyList<GrpcRoute> GrpcRoutes { get; }

    public IReadOnlyList<ReferenceGrant> ReferenceGrants { get; }

    public IReadOnlyList<Workload> Workloads { get; }

    /// <summary>The StatefulSets' and DaemonSets' revisions (apps/v1 ControllerRevisions) in the input.</summary>
    public IReadOnlyList<ControllerRevision> ControllerRevisions { get; }

    public IReadOnlyList<SkippedObject> Skipped { get; }

    /// <summary>Non-fatal findings of planning (implicit namespaces, unschedulable pods, …).</summary>
    public IReadOnlyList<Diagnostic> Warnings { get; }

    /// <summary>LoadBalancer addresses: the pools and L2 advertisements in force and each Service's allocation.</summary>
    public LoadBalancerPlan LoadBalancing { get; init; } = LoadBalancerPlan.Empty;

    public IReadOnlyDictionary<string, Node> NodesByName { get; }

    public IReadOnlyDictionary<string, Namespace> NamespacesByName { get; }

    public IReadOnlyDictionary<string, Pod> PodsByName { get; }

    public IReadOnlyDictionary<string, Service> ServicesByName { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<EndpointSlice>> SlicesByService { get; }

    public IReadOnlyList<EndpointSlice> SlicesFor(Service service) =>
        SlicesByService.TryGetValue(service.QualifiedName, out var slices) ? slices : [];

    /// <summary>
    /// This cluster without the Services named in <paramref name="removed"/> (and the slices made for them) and with
    /// <paramref name="added"/> and their <paramref name="addedSlices"/>; the other Services keep their very slices.
    /// </summary>
    internal ClusterState WithServices(IReadOnlyCollection<string> removed, IReadOnlyList<Service> added, IReadOnlyDictionary<string, IReadOnlyList<EndpointSlice>> addedSlices, IReadOnlyList<Diagnostic> warnings)
    {
        var gone = removed.ToHashSet(StringComparer.Ordinal);
        var slicesByService = new Dictionary<string, IReadOnlyList<EndpointSlice>>(SlicesByService, StringComparer.Ordinal);
        var goneSlices = new HashSet<EndpointSlice>(ReferenceEqualityComparer.Instance);
        foreach (var name in gone)
        {
            if (slicesByService.Remove(name, out var slices))
            {
                goneSlices.UnionWith(slices);
            }
        }

        foreach (var (name, slices) in addedSlices)
        {
            slicesByService[name] = slices;
        }

        var services = InOrder(Services.Where(s => !gone.Contains(s.QualifiedName)).Concat(added), (a, b) => CompareQualified(a.Namespace, a.Name, b.Namespace, b.Name));
        var endpointSlices = InOrder(EndpointSlices.Where(s => !goneSlices.Contains(s)).Concat(addedSlices.Values.SelectMany(v => v)), CompareSlices);
        return new ClusterState(this, Pods, services, endpointSlices, slicesByService, warnings);
    }

    /// <summary>
    /// This cluster with <paramref name="pods"/> (in the same order; some may be gone) and the slices of some Services
    /// replaced, and <paramref name="warnings"/> when given.
    /// </summary>
    internal ClusterState WithPodsAndSlices(IReadOnlyList<Pod> pods, IReadOnlyDictionary<string, IReadOnlyList<EndpointSlice>> replacedSlices, IReadOnlyList<Diagnostic>? warnings = null)
    {
        // A plain copy of the index: building a frozen one again costs more than the whole update at 10,000 Services.
        var slicesByService = new Dictionary<string, IReadOnlyList<EndpointSlice>>(SlicesByService, StringComparer.Ordinal);
        var renamed = false;
        var byName = new Dictionary<(string, string), EndpointSlice>();
        foreach (var (service, slices) in replacedSlices)
        {
            var old = SlicesByService.TryGetValue(service, out var before) ? before : [];
            renamed |= old.Count != slices.Count || old.Zip(slices).Any(p => p.First.Meta.Name != p.Second.Meta.Name);
            slicesByService[service] = slices;
            foreach (var slice in slices)
            {
                byName[(slice.Namespace ?? "", slice.Meta.Name)] = slice;
            }
        }

        // Readiness keeps slice names, so each new slice takes its old one's place; otherwise sort as the constructor does.
        IReadOnlyList<EndpointSlice> all = !renamed
            ? [.. EndpointSlices.Select(s => byName.GetValueOrDefault((s.Namespace ?? "", s.Meta.Name), s))]
            : [.. EndpointSlices
                .Where(s => s.ServiceName is null || !replacedSlices.ContainsKey($"{s.Namespace}/{s.ServiceName}"))
                .Concat(replacedSlices.Values.SelectMany(v => v))
                .OrderBy(s => s.Namespace, StringComparer.Ordinal).ThenBy(s => s.Meta.Name, StringComparer.Ordinal)];
        return new ClusterState(this, pods, Services, all, slicesByService, warnings ?? Warnings);
    }
}
