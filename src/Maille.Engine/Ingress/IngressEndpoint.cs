using System.Globalization;
using System.Net;

namespace Maille.Engine.Ingresses;

/// <summary>A ready endpoint of a backend Service: the pod address and target port the controller connects to.</summary>
public sealed record IngressEndpoint(IPAddress Address, int Port, string? Pod, string? Node)
{
    /// <summary>The HTTP origin of the endpoint, <c>http://198.19.1.2:8080</c> (<c>http://[fd00::2]:8080</c>), built once.</summary>
    public string Origin { get; } = "http://" + new IPEndPoint(Address, Port).ToString();

    public override string ToString() => Pod is null ? $"{Address}:{Port.ToString(CultureInfo.InvariantCulture)}" : $"{Pod} ({Address}:{Port.ToString(CultureInfo.InvariantCulture)})";
}
