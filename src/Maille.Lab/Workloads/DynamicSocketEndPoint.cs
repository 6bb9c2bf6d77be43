using System.Net;
using System.Net.Sockets;

namespace Maille.Lab.Workloads;

/// <summary>
/// The single endpoint Kestrel binds for all pods. It is not an address: the sockets behind it are added and
/// removed at run time through <see cref="DynamicSocketTransport"/>.
/// </summary>
internal sealed class DynamicSocketEndPoint(string name) : EndPoint
{
    public string Name { get; } = name;

    public override AddressFamily AddressFamily => AddressFamily.Unspecified;

    public override string ToString() => $"pods:{Name}";
}
