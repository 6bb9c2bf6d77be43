using System.Net;

namespace Maille.Dataplane.Ebpf;

/// <summary>An endpoint in the <c>backends</c> map: the pod's address and the port resolved on it.</summary>
public sealed record SocketLbBackend(IPAddress Address, int Port)
{
    public override string ToString() => $"{Address}:{Port}";
}
