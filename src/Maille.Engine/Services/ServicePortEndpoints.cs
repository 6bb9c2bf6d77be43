using System.Net;
using System.Net.Sockets;
using Maille.Model;

namespace Maille.Engine.Services;

/// <summary>
/// The endpoints a Service port can ever use, read from its EndpointSlices as kube-proxy's endpoint cache reads them:
/// slices of the Service's address family only (FQDN slices are ignored), the port number each slice resolved for the
/// port's name and protocol (a slice without that port contributes nothing), the first address of each endpoint, once
/// per address and port. Endpoints that are neither ready nor serving while terminating are never used, so they are
/// left out here.
/// </summary>
internal static class ServicePortEndpoints
{
    public static List<ServiceEndpoint> Of(Service service, ServicePort port, IReadOnlyList<EndpointSlice> slices)
    {
        var family = service.ClusterIP?.AddressFamily ?? AddressFamily.InterNetwork;
        var addressType = family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
        var found = new Dictionary<(IPAddress, int), ServiceEndpoint>();
        var portName = port.Name ?? "";
        foreach (var slice in slices)
        {
            if (slice.AddressType != addressType)
            {
                continue;
            }

            var sliceNumber = slice.Ports.FirstOrDefault(p => (p.Name ?? "") == portName && p.Protocol == port.Protocol)?.Port;
            if (sliceNumber is not { } number)
            {
                continue;
            }

            foreach (var endpoint in slice.Endpoints)
            {
                if (endpoint.Addresses.IsEmpty || !IPAddress.TryParse(endpoint.Addresses[0], out var address) || address.AddressFamily != family)
                {
                    continue;
                }

                var candidate = new ServiceEndpoint(address, number, endpoint.NodeName, endpoint.TargetPod, endpoint.Conditions);
                if (candidate.Ready || candidate.ServingTerminating)
                {
                    found.TryAdd((address, number), candidate);
                }
            }
        }

        return [.. found.Values];
    }
}
