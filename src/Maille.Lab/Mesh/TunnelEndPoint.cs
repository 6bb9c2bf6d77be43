using System.Net;
using System.Net.Sockets;

namespace Maille.Lab.Mesh;

/// <summary>The endpoint Kestrel binds for the streams a <see cref="TunnelTransport"/> hands over: not an address.</summary>
internal sealed class TunnelEndPoint(string name) : EndPoint
{
    public string Name { get; } = name;

    public override AddressFamily AddressFamily => AddressFamily.Unspecified;

    public override string ToString() => $"tunnels:{Name}";
}
