using Maille.Dataplane.Linux.Netns;

namespace Maille.Dataplane.Linux.Lab;

/// <summary>
/// A built lab network: its plan and an open handle on each of its namespaces, for creating sockets in them
/// and entering them. Disposing closes the handles; <see cref="Teardown"/> removes the lab.
/// </summary>
internal sealed class LabNetwork : IDisposable
{
    private readonly Dictionary<string, NetworkNamespace> namespaces;
    private readonly Dictionary<string, PodNetworkPlan> podsByKey;
    private readonly Dictionary<string, NodeNetworkPlan> nodesByName;

    public LabNetwork(LabNetworkPlan plan, IEnumerable<NetworkNamespace> namespaces)
    {
        Plan = plan;
        this.namespaces = namespaces.ToDictionary(handle => handle.Name, StringComparer.Ordinal);
        podsByKey = plan.Pods.ToDictionary(pod => pod.Key, StringComparer.Ordinal);
        nodesByName = plan.Nodes.ToDictionary(node => node.Name, StringComparer.Ordinal);
    }

    public LabNetworkPlan Plan { get; }

    /// <summary>How long building took, phase by phase.</summary>
    public LabBuildTimings? Timings { get; internal set; }

    public NetworkNamespace Underlay => namespaces[Plan.UnderlayNamespace];

    public NetworkNamespace External => namespaces[Plan.ExternalNamespace];

    public NetworkNamespace Node(string name) => namespaces[nodesByName[name].Namespace];

    public NetworkNamespace Pod(string key) => namespaces[podsByKey[key].Namespace];

    public PodNetworkPlan PodPlan(string key) => podsByKey[key];

    public NodeNetworkPlan NodePlan(string name) => nodesByName[name];

    /// <summary>Closes the handles and deletes every namespace of the lab.</summary>
    public int Teardown()
    {
        Dispose();
        return LabNetworkBuilder.Teardown(Plan.Lab);
    }

    public void Dispose()
    {
        foreach (var handle in namespaces.Values)
        {
            handle.Dispose();
        }
    }
}
