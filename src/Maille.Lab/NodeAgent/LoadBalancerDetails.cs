namespace Maille.Lab.NodeAgents;

/// <summary>What a node's L2 announcer holds.</summary>
public sealed record LoadBalancerDetails : NodePartDetails
{
    /// <summary>LoadBalancer addresses the node answers ARP for.</summary>
    public int Addresses { get; init; }
}
