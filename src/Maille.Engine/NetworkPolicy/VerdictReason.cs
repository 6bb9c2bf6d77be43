namespace Maille.Engine.NetworkPolicies;

/// <summary>Why a connection got its verdict.</summary>
public enum VerdictReason
{
    /// <summary>Decided by the two policy sides: the source's egress and the destination's ingress.</summary>
    Policy,

    /// <summary>A pod reaching its own IP: always allowed ("a pod cannot block access to itself").</summary>
    Loopback,

    /// <summary>Traffic between a pod and its own node (kubelet probes, hostNetwork pods there): always allowed.</summary>
    OwnNode,
}
