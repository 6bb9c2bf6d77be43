using System.Net;
using Maille.Model;

namespace Maille.Engine.Dns;

/// <summary>
/// One ready address of a headless Service as DNS sees it: its <i>hostname</i> (the endpoint's <c>hostname</c>, or
/// the dashed address when it has none), the address, and the ports of its EndpointSlice (numbers resolved on the pod).
/// </summary>
internal sealed record DnsEndpointEntry(string Hostname, IPAddress Address, EquatableArray<EndpointPort> Ports);
