using Maille.Dataplane.Linux.Netns;

namespace Maille.Dataplane.Linux.Lab;

/// <summary>
/// A built lab network: its plan and an open handle on each of its namespaces, for creating sockets in them
/// and entering them. Pods come and go (<see cref="LabNetworkBuilder.AddPods"/>, <see cref="LabNetworkBuilder.RemovePods"/>);
/// <see cref="Plan"/> always describes what exists now. Disposing closes the handles; <see cref="Teardown"/> removes the lab.
/// Not thread-safe: one owner changes it.
/// </summary>
public sealed class LabNetwork : IDisposable
{
    private readonly Dictionary<string, NetworkNamespace> _namespaces;
    private readonly Dictionary<string, PodNetworkPlan> _podsByKey;
    private readonly Dictionary<string, NodeNetworkPlan> _nodesByName;
    private readonly Dictionary<string, int> _nextInterfaceIndex = new(StringComparer.Ordinal);

    public LabNetwork(LabNetworkPlan plan, IEnumerable<NetworkNamespace> namespaces)
    {
        Plan = plan;
        _namespaces = namespaces.ToDictionary(handle => handle.Name, StringComparer.Ordinal);
        _podsByKey = plan.Pods.ToDictionary(pod => pod.Key, StringComparer.Ordinal);
        _nodesByName = plan.Nodes.ToDictionary(node => node.Name, StringComparer.Ordinal);
    }

    public LabNetworkPlan Plan { get; private set; }

    /// <summary>How long building took, phase by phase.</summary>
    public LabBuildTimings? Timings { get; internal set; }

    public NetworkNamespace Underlay => _namespaces[Plan.UnderlayNamespace];

    public NetworkNamespace External => _namespaces[Plan.ExternalNamespace];

    public NetworkNamespace Node(string name) => _namespaces[_nodesByName[name].Namespace];

    public NetworkNamespace Pod(string key) => _namespaces[_podsByKey[key].Namespace];

    public bool HasPod(string key) => _podsByKey.ContainsKey(key);

    public PodNetworkPlan PodPlan(string key) => _podsByKey[key];

    public NodeNetworkPlan NodePlan(string name) => _nodesByName[name];

    /// <summary>Closes the handles and deletes every namespace of the lab.</summary>
    public int Teardown()
    {
        Dispose();
        return LabNetworkBuilder.Teardown(Plan.Lab);
    }

    public void Dispose()
    {
        foreach (var handle in _namespaces.Values)
        {
            handle.Dispose();
        }
    }

    /// <summary>Parks every pod's namespace (<see cref="NetworkNamespace.Park"/>): nodes and the underlay keep theirs.</summary>
    internal void ParkPods()
    {
        foreach (var pod in _podsByKey.Values)
        {
            _namespaces[pod.Namespace].Park();
        }
    }

    /// <summary>The interface index the next pod veth on <paramref name="node"/> gets (indexes are never reused).</summary>
    internal int TakeInterfaceIndex(string node)
    {
        var index = _nextInterfaceIndex[node];
        _nextInterfaceIndex[node] = index + 1;
        return index;
    }

    internal void SetNextInterfaceIndex(string node, int index) => _nextInterfaceIndex[node] = index;

    internal void AddPod(PodNetworkPlan pod, NetworkNamespace handle)
    {
        _namespaces[handle.Name] = handle;
        _podsByKey[pod.Key] = pod;
        Plan = Plan with { Pods = new(Plan.Pods.Append(pod)) };
    }

    /// <summary>Forgets a pod and closes its handle; the caller deletes its namespace.</summary>
    internal void ForgetPod(string key)
    {
        var pod = _podsByKey[key];
        _podsByKey.Remove(key);
        if (_namespaces.Remove(pod.Namespace, out var handle))
        {
            handle.Dispose();
        }

        Plan = Plan with { Pods = new(Plan.Pods.Where(p => p.Key != key)) };
    }
}
