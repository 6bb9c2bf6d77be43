using System.Net;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// An egress rule's named port, compiled: the (address, protocol, port) of every pod the rule's peers match that
/// declares that name with that protocol. An egress named port resolves on the destination, which differs per
/// packet, so it cannot be one number in a chain; a lookup of (destination, protocol, destination port) in this set
/// is exactly "the peer matches and the port is the one it names". Pods that lack the name are absent, as are
/// external addresses (a named port never matches them). Named like <see cref="PeerSet"/>, from the definition only.
/// </summary>
public sealed record NamedPortSet(string Name, string Definition, EquatableArray<NamedPortTarget> Members)
{
    public bool Contains(IPAddress address, Protocol protocol, int port) => Members.Contains(new NamedPortTarget(address, protocol, port));
}
