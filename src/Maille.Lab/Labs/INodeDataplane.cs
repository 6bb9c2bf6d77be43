using Maille.Engine;

namespace Maille.Lab.Labs;

/// <summary>
/// One part of a node's data plane that a <see cref="NodeAgent"/> keeps in line with the planned cluster (the Service
/// proxy, NetworkPolicy enforcement). <see cref="Sync"/> is level-triggered: it receives the whole desired state and
/// makes the node match it, whatever it did before.
/// </summary>
internal interface INodeDataplane : IDisposable
{
    string Name { get; }

    /// <summary>What the part reports (sync counts, latency, rule counts), as a value the API serialises to JSON.</summary>
    object Status { get; }

    void Sync(ClusterState cluster);
}
