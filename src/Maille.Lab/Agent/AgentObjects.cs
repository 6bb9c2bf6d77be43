using Maille.Engine;
using Maille.Engine.LoadBalancing;
using Maille.Kube;
using Maille.Model;

namespace Maille.Lab.Agent;

/// <summary>
/// What a node agent knows of the cluster: the objects its watches delivered, each converted to the model once (by the
/// same loader and validation as a manifest), and the <see cref="ClusterState"/> they make. The API server already
/// allocated everything (pod IPs, ClusterIPs, node ports, LoadBalancer addresses, EndpointSlices), so nothing is
/// planned again: the state is assembled. An object that did not change keeps its instance, so the Service proxy's
/// planner re-plans only the Services whose object or slices changed (<c>ServiceProxyPlanner.Replan</c>), and one
/// EndpointSlice update costs one Service, not the node.
/// </summary>
/// <remarks>
/// <see cref="Changed"/> is called by the informers' threads; <see cref="Build"/> by the agent's one sync loop. An object
/// the loader refuses (a field error) is left out and counted: the API server accepted it, so this is a difference
/// between the two validations worth reporting, not a reason to stop.
/// </remarks>
internal sealed class AgentObjects
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Kind, string Key), string?> _pending = [];
    private readonly SortedDictionary<string, Node> _nodes = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Namespace> _namespaces = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Pod> _pods = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Service> _services = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, EndpointSlice> _slices = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, NetworkPolicy> _policies = new(StringComparer.Ordinal);
    /// <summary>
    /// ClusterNetworkPolicies and the v1alpha1 kinds read onto the same model, keyed by kind and name: an
    /// AdminNetworkPolicy may share its name with a ClusterNetworkPolicy (they are objects of two CRDs).
    /// </summary>
    private readonly SortedDictionary<string, ClusterNetworkPolicy> _clusterPolicies = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, IPAddressPool> _pools = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, L2Advertisement> _advertisements = new(StringComparer.Ordinal);
    private readonly HashSet<string> _notReadyNodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _rejected = new(StringComparer.Ordinal);

    /// <summary>The kinds a change of which edits the last cluster instead of making a new one: the ones that change often and come by thousands.</summary>
    private static readonly HashSet<string> EditableKinds = new(["Pod", "Service", "EndpointSlice"], StringComparer.Ordinal);

    private ClusterState? _built;
    private ClusterConfig? _builtConfig;
    private bool _builtWithLoadBalancing;

    /// <summary>Object changes received so far (added, modified, deleted).</summary>
    public long Received { get; private set; }

    /// <summary>Whether changes arrived since the last <see cref="Build"/>.</summary>
    public bool HasPending
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count > 0;
            }
        }
    }

    /// <summary>Objects the loader refused, by <c>kind namespace/name</c>, with the first error.</summary>
    public IReadOnlyDictionary<string, string> Rejected
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, string>(_rejected, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Nodes whose <c>Ready</c> condition is not True: the L2 announcer's election leaves them out.</summary>
    public IReadOnlySet<string> NotReadyNodes()
    {
        lock (_gate)
        {
            return new HashSet<string>(_notReadyNodes, StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Records a change: <paramref name="json"/> is the object as the API sent it (with <c>apiVersion</c> and
    /// <c>kind</c>), or null when it was deleted.
    /// </summary>
    public void Changed(string kind, string key, string? json)
    {
        lock (_gate)
        {
            _pending[(kind, key)] = json;
            Received++;
        }
    }

    /// <summary>Records whether a node is Ready (from its status, which the model does not keep).</summary>
    public void NodeReadiness(string node, bool? ready)
    {
        lock (_gate)
        {
            if (ready is false or null)
            {
                _notReadyNodes.Add(node);
            }
            else
            {
                _notReadyNodes.Remove(node);
            }
        }
    }

    /// <summary>
    /// Folds the pending changes in and assembles the cluster. <paramref name="withLoadBalancing"/>: the LoadBalancer
    /// plan (pools, advertisements, and the addresses Services' status already holds) for the L2 announcer.
    /// </summary>
    public ClusterState Build(ClusterConfig config, bool withLoadBalancing)
    {
        KeyValuePair<(string Kind, string Key), string?>[] changes;
        lock (_gate)
        {
            changes = [.. _pending];
            _pending.Clear();
        }

        var sources = changes.Where(c => c.Value is not null).Select(c => new ManifestSource($"{c.Key.Kind} {c.Key.Key}", c.Value!)).ToList();
        var (loaded, diagnostics) = sources.Count == 0 ? (ManifestSet.Empty, []) : ManifestLoader.Load(sources, keepFieldLines: false);
        lock (_gate)
        {
            foreach (var ((kind, key), _) in changes)
            {
                Remove(kind, key);
                _rejected.Remove($"{kind} {key}");
            }

            Put(_nodes, loaded.Nodes, n => n.Meta);
            Put(_namespaces, loaded.Namespaces, n => n.Meta);
            Put(_pods, loaded.Pods, p => p.Meta);
            Put(_services, loaded.Services, s => s.Meta);
            Put(_slices, loaded.EndpointSlices, s => s.Meta);
            Put(_policies, loaded.NetworkPolicies, p => p.Meta);
            foreach (var policy in loaded.ClusterNetworkPolicies)
            {
                _clusterPolicies[ClusterPolicyKey(policy.SourceKind, policy.Meta.QualifiedName)] = policy;
            }

            Put(_pools, loaded.IPAddressPools, p => p.Meta);
            Put(_advertisements, loaded.L2Advertisements, a => a.Meta);
            // The loader keeps an object it found errors in (a manifest set with errors is refused whole); an agent
            // drops only that object. Each source is named "Kind key".
            foreach (var error in diagnostics.Where(d => d.IsError && d.File is not null))
            {
                if (_rejected.TryAdd(error.File!, error.ToString()) && error.File!.Split(' ', 2) is [var kind, var key])
                {
                    Remove(kind, key);
                }
            }

            var kinds = changes.Select(c => c.Key.Kind).ToHashSet(StringComparer.Ordinal);
            _built = _built is { } built && ReferenceEquals(config, _builtConfig) && withLoadBalancing == _builtWithLoadBalancing && kinds.IsSubsetOf(EditableKinds)
                ? Edited(built, changes, withLoadBalancing)
                : Assembled(config, withLoadBalancing);
            (_builtConfig, _builtWithLoadBalancing) = (config, withLoadBalancing);
            return _built;
        }
    }

    /// <summary>The cluster made afresh from every object kept.</summary>
    private ClusterState Assembled(ClusterConfig config, bool withLoadBalancing)
    {
        var manifests = Manifests();
        var services = _services.Values.ToList();
        var namespaces = _namespaces.Values.ToList();
        return new ClusterState(config, _nodes.Values, namespaces, _pods.Values, services, _slices.Values, manifests, [])
        {
            LoadBalancing = withLoadBalancing ? LoadBalancerPlan.Observed(manifests, config, services, namespaces) : LoadBalancerPlan.Empty,
        };
    }

    /// <summary>
    /// The last cluster with only the pods, Services and slices that changed put or removed: the common change (a pod's
    /// readiness, its slice) then costs a copy, not a new state of every object (<see cref="ClusterState.WithObjects"/>).
    /// </summary>
    private ClusterState Edited(ClusterState built, KeyValuePair<(string Kind, string Key), string?>[] changes, bool withLoadBalancing)
    {
        var services = ChangesOf("Service", _services, changes);
        var loadBalancing = withLoadBalancing && !services.IsEmpty
            ? LoadBalancerPlan.Observed(Manifests(), built.Config, [.. _services.Values], [.. _namespaces.Values])
            : null;
        return built.WithObjects(ChangesOf("Pod", _pods, changes), services, ChangesOf("EndpointSlice", _slices, changes), loadBalancing);
    }

    /// <summary>The objects of <paramref name="kind"/> that changed: put when kept now, removed when not (deleted or refused).</summary>
    private static ObjectChanges<T> ChangesOf<T>(string kind, SortedDictionary<string, T> kept, KeyValuePair<(string Kind, string Key), string?>[] changes)
    {
        var keys = changes.Where(c => c.Key.Kind == kind).Select(c => c.Key.Key).Distinct(StringComparer.Ordinal).ToList();
        if (keys.Count == 0)
        {
            return ObjectChanges<T>.None;
        }

        var put = keys.Where(kept.ContainsKey).Select(k => kept[k]).ToList();
        var removed = keys.Where(k => !kept.ContainsKey(k)).ToList();
        return new ObjectChanges<T>(put, removed);
    }

    private ManifestSet Manifests() => new()
    {
        NetworkPolicies = new([.. _policies.Values]),
        ClusterNetworkPolicies = new([.. _clusterPolicies.Values]),
        IPAddressPools = new([.. _pools.Values]),
        L2Advertisements = new([.. _advertisements.Values]),
    };

    private void Remove(string kind, string key)
    {
        _ = kind switch
        {
            "Node" => _nodes.Remove(key),
            "Namespace" => _namespaces.Remove(key),
            "Pod" => _pods.Remove(key),
            "Service" => _services.Remove(key),
            "EndpointSlice" => _slices.Remove(key),
            "NetworkPolicy" => _policies.Remove(key),
            PolicyApi.ClusterNetworkPolicyKind or PolicyApi.AdminNetworkPolicyKind or PolicyApi.BaselineAdminNetworkPolicyKind => _clusterPolicies.Remove(ClusterPolicyKey(kind, key)),
            "IPAddressPool" => _pools.Remove(key),
            "L2Advertisement" => _advertisements.Remove(key),
            _ => throw new ArgumentException($"the agent does not keep {kind} objects", nameof(kind)),
        };
    }

    private static string ClusterPolicyKey(string kind, string name) => kind + " " + name;

    private static void Put<T>(SortedDictionary<string, T> into, IEnumerable<T> loaded, Func<T, ObjectMeta> meta)
    {
        foreach (var item in loaded)
        {
            into[meta(item).QualifiedName] = item;
        }
    }
}
