using System.Net;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// A pod of this node and where its two directions are decided: the name of the chain a packet enters first (its
/// Admin tier's <see cref="TierChain"/> when ClusterNetworkPolicies of that tier have rules for the direction, else its
/// NetworkPolicy <see cref="PolicyChain"/> when NetworkPolicy isolates it, else its Baseline tier's chain), or null when
/// no policy of any kind applies in that direction (then everything is allowed and no chain is entered).
/// </summary>
public sealed record LocalPodPolicy(string Pod, IPAddress Address, string? IngressChain, string? EgressChain);
