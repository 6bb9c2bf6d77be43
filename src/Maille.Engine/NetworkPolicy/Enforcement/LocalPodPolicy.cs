using System.Net;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// A pod of this node and where its two directions are decided: the name of the <see cref="PolicyChain"/>, or null
/// when no policy isolates it in that direction (then everything is allowed and no chain is entered).
/// </summary>
public sealed record LocalPodPolicy(string Pod, IPAddress Address, string? IngressChain, string? EgressChain);
