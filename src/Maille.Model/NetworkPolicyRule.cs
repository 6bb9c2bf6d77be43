namespace Maille.Model;

/// <summary>
/// An ingress or egress rule. <see cref="Peers"/> empty means any peer (including external addresses);
/// <see cref="Ports"/> empty means every port and protocol.
/// </summary>
public sealed record NetworkPolicyRule
{
    public EquatableArray<NetworkPolicyPeer> Peers { get; init; } = EquatableArray<NetworkPolicyPeer>.Empty;

    public EquatableArray<NetworkPolicyPort> Ports { get; init; } = EquatableArray<NetworkPolicyPort>.Empty;
}
