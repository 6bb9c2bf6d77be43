namespace Maille.Dataplane.Ebpf;

/// <summary>What a rule does to a first packet it matches (<c>MAILLE_ACTION_*</c> in <c>bpf/pod_policy.h</c>).</summary>
public enum PodPolicyAction : uint
{
    /// <summary>A NetworkPolicy rule, or a ClusterNetworkPolicy Accept: allowed.</summary>
    Allow = 1,

    /// <summary>A ClusterNetworkPolicy Deny.</summary>
    Deny = 2,

    /// <summary>A ClusterNetworkPolicy Pass: on to the next tier.</summary>
    Pass = 3,
}
