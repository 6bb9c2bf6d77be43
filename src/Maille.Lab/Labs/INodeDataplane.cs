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

    void Sync(ClusterState cluster);
}
