using System.Net;

namespace Maille.Dataplane.Ebpf;

/// <summary>
/// What the socket hooks (or, for a packet from outside the node, the tc program on its interface) do with a
/// connection to an address and port, read from the live maps (<see cref="SocketLbWalker"/>): whether an entry holds it
/// (<see cref="IsService"/>; when not, the packet is left to nftables), whether it refuses it (no endpoint anywhere),
/// whether the tc program drops it (externalTrafficPolicy Local with no endpoint on the node), the endpoints it chooses
/// from, the address a connection from outside is masqueraded to (null: the client's is kept), and each map entry read
/// (<c>map[key] → value</c>).
/// </summary>
public sealed record SocketLbWalk(bool IsService, bool Refused, IReadOnlyList<SocketLbBackend> Backends, IReadOnlyList<string> Steps)
{
    public bool Dropped { get; init; }

    public IPAddress? Masquerade { get; init; }
}
