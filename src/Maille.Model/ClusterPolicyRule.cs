namespace Maille.Model;

/// <summary>
/// An ingress or egress rule of a ClusterNetworkPolicy. <see cref="Peers"/> has at least one entry in valid input;
/// <see cref="Ports"/> empty means every port and protocol.
/// </summary>
public sealed record ClusterPolicyRule
{
    /// <summary>The rule's <c>name</c>, or null when the input gave none.</summary>
    public string? Name { get; init; }

    public ClusterPolicyAction Action { get; init; }

    public EquatableArray<ClusterPolicyPeer> Peers { get; init; } = EquatableArray<ClusterPolicyPeer>.Empty;

    public EquatableArray<ClusterPolicyPort> Ports { get; init; } = EquatableArray<ClusterPolicyPort>.Empty;
}
