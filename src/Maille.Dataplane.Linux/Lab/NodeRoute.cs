using System.Net;

namespace Maille.Dataplane.Linux.Lab;

/// <summary><c>Destination via Gateway dev eth0</c> in a node namespace.</summary>
public sealed record NodeRoute(IPNetwork Destination, IPAddress Gateway);
