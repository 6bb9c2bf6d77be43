using System.Net;
using Maille.Model;

namespace Maille.Engine.Allocation;

/// <summary>
/// The ClusterIPs of the Service CIDR and the node ports of the NodePort range, with what is taken: the cluster DNS
/// address from the start, then whatever Services hold (<see cref="Reserve"/>); <see cref="Allocate"/> gives a Service
/// what it still lacks. <see cref="ServiceAllocator"/> reserves every Service's own values before allocating in name
/// order; a lab adding a Service reserves every other Service's values and allocates the new one, which gives it what
/// a full plan would.
/// </summary>
internal sealed class ServiceAddressPools
{
    private readonly ClusterConfig _config;
    private readonly IPNetwork _cidr;
    private readonly BandedAllocator _ips;
    private readonly BandedAllocator _ports;

    public ServiceAddressPools(ClusterConfig config)
    {
        _config = config;
        _cidr = config.ServiceCidr;
        var cidrSize = IpMath.Size(_cidr);

        // Usable addresses exclude the network and broadcast addresses.
        _ips = new BandedAllocator(1, cidrSize - 2, BandedAllocator.ClusterIPStaticBand(cidrSize));
        _ips.TryReserve(IpOffset(config.EffectiveDnsServiceIP));
        var portCount = (ulong)(config.NodePortMax - config.NodePortMin + 1);
        _ports = new BandedAllocator((ulong)config.NodePortMin, portCount, BandedAllocator.NodePortStaticBand(portCount));
    }

    /// <summary>Marks the ClusterIP, node ports and health-check node port <paramref name="service"/> holds as taken.</summary>
    public void Reserve(Service service)
    {
        if (service.ClusterIP is { } ip && _cidr.Contains(ip))
        {
            _ips.TryReserve(IpOffset(ip));
        }

        foreach (var port in service.Ports)
        {
            if (port.NodePort is { } nodePort)
            {
                _ports.TryReserve((ulong)nodePort);
            }
        }

        if (service.HealthCheckNodePort is { } health)
        {
            _ports.TryReserve((ulong)health);
        }
    }

    /// <summary><paramref name="service"/> with the ClusterIP and node ports it needs and lacks; a warning for each that is exhausted.</summary>
    public Service Allocate(Service service, List<Diagnostic> diagnostics)
    {
        var allocated = service;
        if (service.NeedsClusterIP && service.ClusterIP is null)
        {
            var offset = _ips.Allocate(service.QualifiedName);
            if (offset is null)
            {
                diagnostics.Add(Exhausted(service, "spec.clusterIP", $"the Service CIDR {_cidr} is full"));
            }
            else
            {
                allocated = allocated with { ClusterIP = IpMath.Offset(_cidr, offset.Value) };
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

                var value = _ports.Allocate($"{service.QualifiedName}/{port.Name}/{port.Port}/{port.Protocol}");
                if (value is null)
                {
                    diagnostics.Add(Exhausted(service, "spec.ports", $"the NodePort range {_config.NodePortMin}-{_config.NodePortMax} is full"));
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
            allocated = allocated with { HealthCheckNodePort = (int?)_ports.Allocate($"{service.QualifiedName}/health") };
        }

        return allocated;
    }

    private ulong IpOffset(IPAddress ip) => IpMath.ToUInt32(ip) - IpMath.ToUInt32(_cidr.BaseAddress);

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
