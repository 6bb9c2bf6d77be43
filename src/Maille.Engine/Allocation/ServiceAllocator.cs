using System.Net;
using Maille.Model;

namespace Maille.Engine.Allocation;

/// <summary>
/// Gives Services their ClusterIP (from the Service CIDR) and node ports (from the NodePort range). Values the input
/// requests are reserved first (validation has already refused conflicts); then Services are served in name order,
/// so the result does not depend on file order.
/// </summary>
internal static class ServiceAllocator
{
    public static IReadOnlyList<Service> Assign(IEnumerable<Service> services, ClusterConfig config, List<Diagnostic> diagnostics)
    {
        var ordered = services.OrderBy(s => s.QualifiedName, StringComparer.Ordinal).ToList();
        var cidr = config.ServiceCidr;
        var cidrSize = IpMath.Size(cidr);

        // Usable addresses exclude the network and broadcast addresses.
        var ips = new BandedAllocator(1, cidrSize - 2, BandedAllocator.ClusterIPStaticBand(cidrSize));
        ips.TryReserve(IpOffset(cidr, config.EffectiveDnsServiceIP));
        var portCount = (ulong)(config.NodePortMax - config.NodePortMin + 1);
        var ports = new BandedAllocator((ulong)config.NodePortMin, portCount, BandedAllocator.NodePortStaticBand(portCount));

        foreach (var service in ordered)
        {
            if (service.ClusterIP is { } ip && cidr.Contains(ip))
            {
                ips.TryReserve(IpOffset(cidr, ip));
            }

            foreach (var port in service.Ports)
            {
                if (port.NodePort is { } nodePort)
                {
                    ports.TryReserve((ulong)nodePort);
                }
            }

            if (service.HealthCheckNodePort is { } health)
            {
                ports.TryReserve((ulong)health);
            }
        }

        var result = new List<Service>(ordered.Count);
        foreach (var service in ordered)
        {
            var allocated = service;
            if (service.NeedsClusterIP && service.ClusterIP is null)
            {
                var offset = ips.Allocate(service.QualifiedName);
                if (offset is null)
                {
                    diagnostics.Add(Exhausted(service, "spec.clusterIP", $"the Service CIDR {cidr} is full"));
                }
                else
                {
                    allocated = allocated with { ClusterIP = IpMath.Offset(cidr, offset.Value) };
                }
            }

            if (service.NeedsNodePorts)
            {
                // As Kubernetes does, ports with the same number (53/TCP and 53/UDP) share one node port.
                var byNumber = new Dictionary<int, int>();
                foreach (var port in service.Ports.Where(p => p.NodePort is not null))
                {
                    byNumber.TryAdd(port.Port, port.NodePort!.Value);
                }

                var assigned = new List<ServicePort>();
                foreach (var port in service.Ports)
                {
                    if (port.NodePort is not null)
                    {
                        assigned.Add(port);
                        continue;
                    }

                    if (byNumber.TryGetValue(port.Port, out var shared))
                    {
                        assigned.Add(port with { NodePort = shared });
                        continue;
                    }

                    var value = ports.Allocate($"{service.QualifiedName}/{port.Name}/{port.Port}/{port.Protocol}");
                    if (value is null)
                    {
                        diagnostics.Add(Exhausted(service, "spec.ports", $"the NodePort range {config.NodePortMin}-{config.NodePortMax} is full"));
                    }
                    else
                    {
                        byNumber[port.Port] = (int)value.Value;
                    }

                    assigned.Add(port with { NodePort = (int?)value });
                }

                allocated = allocated with { Ports = new(assigned) };
            }

            if (service.Type == ServiceType.LoadBalancer && service.ExternalTrafficPolicy == TrafficPolicy.Local && service.HealthCheckNodePort is null)
            {
                allocated = allocated with { HealthCheckNodePort = (int?)ports.Allocate($"{service.QualifiedName}/health") };
            }

            result.Add(allocated);
        }

        return result;
    }

    private static ulong IpOffset(IPNetwork cidr, IPAddress ip) => IpMath.ToUInt32(ip) - IpMath.ToUInt32(cidr.BaseAddress);

    private static Diagnostic Exhausted(Service service, string field, string detail) => new()
    {
        Type = FieldErrorType.Warning,
        File = service.Meta.Source.File,
        Line = service.Meta.Source.LineOf(field),
        Object = new ObjectRef("Service", service.Namespace, service.Name),
        Field = field,
        Detail = detail + "; left unallocated",
    };
}
