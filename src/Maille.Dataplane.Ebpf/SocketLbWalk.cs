namespace Maille.Dataplane.Ebpf;

/// <summary>
/// What the socket hooks do with a connect to an address and port, read from the live maps (<see cref="SocketLbWalker"/>):
/// whether a <c>services</c> entry holds it, whether it refuses it (no endpoint anywhere), the endpoints it chooses
/// from, and each map entry read (<c>map[key] → value</c>).
/// </summary>
public sealed record SocketLbWalk(bool IsService, bool Refused, IReadOnlyList<SocketLbBackend> Backends, IReadOnlyList<string> Steps);
