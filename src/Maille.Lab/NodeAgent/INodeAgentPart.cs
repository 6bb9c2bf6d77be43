using Maille.Engine;

namespace Maille.Lab.NodeAgents;

/// <summary>
/// One part of a node's data plane (the Service proxy, NetworkPolicy enforcement, the LoadBalancer announcer) that a
/// <see cref="NodePartRunner"/> keeps in line with the planned cluster. The runner decides when; the part only syncs.
/// </summary>
/// <remarks>
/// <see cref="Sync"/> is level-triggered: it receives the whole desired state and makes the node match it, whatever
/// it did before. It is called by one runner thread at a time. A part publishes what it applied as one immutable
/// snapshot, swapped as one reference once the kernel accepted it, so a reader never pairs one sync's plan with
/// another's rules.
/// </remarks>
public interface INodeAgentPart : IDisposable
{
    /// <summary>The part's key in the node agent's status (<c>services</c>, <c>networkpolicy</c>, <c>loadbalancer</c>).</summary>
    string Name { get; }

    /// <summary>What the part holds now (rule and element counts, …), from its last applied snapshot.</summary>
    NodePartDetails Details { get; }

    /// <summary>
    /// Makes the node match <paramref name="cluster"/>. <paramref name="full"/>: write everything again, whatever the part
    /// believes the node holds (drift repair). A refusal (nft's message) is a value, not an exception; after one,
    /// the next sync is full.
    /// </summary>
    NodePartSync Sync(ClusterState cluster, bool full);
}
