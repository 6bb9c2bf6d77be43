namespace Maille.Lab.NodeAgents;

/// <summary>The parts one node agent runs; a lab without a data plane (tests of the controller) has none.</summary>
public sealed record NodeAgentParts
{
    public ServiceProxyPart? Services { get; init; }

    public NodePolicyEnforcer? Policy { get; init; }

    public L2AnnouncerPart? LoadBalancer { get; init; }

    /// <summary>The ebpf data plane's ClusterIP translation at the socket (<c>maille up --dataplane ebpf</c>).</summary>
    public SocketLoadBalancerPart? SocketLoadBalancer { get; init; }

    /// <summary>The ebpf data plane's NetworkPolicy at tc on each pod's veth, in place of <see cref="Policy"/> (<c>maille up --dataplane ebpf</c>).</summary>
    public PodPolicyPart? PodPolicy { get; init; }

    public static NodeAgentParts None { get; } = new();
}
