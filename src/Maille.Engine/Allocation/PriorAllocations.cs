using System.Net;
using System.Runtime.CompilerServices;
using Maille.Model;

namespace Maille.Engine.Allocation;

/// <summary>
/// What an earlier plan of the same cluster decided: each pod's node and IP, each Service's ClusterIP and node ports.
/// A running lab plans again on every change, and a pod or Service that still exists keeps what it had, as in
/// Kubernetes, where an allocation is stored once and never recomputed: adding <c>a-pod</c> must not renumber every pod
/// after it. Values that no longer fit (a node that is gone, an IP outside the node's CIDR, a port whose Service no
/// longer needs node ports) are dropped and allocated afresh.
/// </summary>
public sealed record PriorAllocations
{
    // A state made from another by an incremental update shares its unchanged lists (a pod deleted keeps every
    // Service), and a running lab asks for the allocations of each state it publishes: each list is read once.
    private static readonly ConditionalWeakTable<IReadOnlyList<Pod>, IReadOnlyDictionary<string, PriorPod>> PodsOf = new();
    private static readonly ConditionalWeakTable<IReadOnlyList<Service>, IReadOnlyDictionary<string, PriorService>> ServicesOf = new();

    public static PriorAllocations None { get; } = new();

    /// <summary><c>namespace/name</c> → where the pod ran and its IP.</summary>
    public IReadOnlyDictionary<string, PriorPod> Pods { get; init; } = new Dictionary<string, PriorPod>(StringComparer.Ordinal);

    /// <summary><c>namespace/name</c> → the Service's ClusterIP and node ports.</summary>
    public IReadOnlyDictionary<string, PriorService> Services { get; init; } = new Dictionary<string, PriorService>(StringComparer.Ordinal);

    public static PriorAllocations From(ClusterState cluster) => From(cluster.Pods, cluster.Services);

    public static PriorAllocations From(IReadOnlyList<Pod> pods, IReadOnlyList<Service> services) => new()
    {
        Pods = PodsOf.GetValue(pods, pods => pods
            .Where(p => p.Spec.NodeName is not null)
            .ToDictionary(p => p.QualifiedName, p => new PriorPod(p.Spec.NodeName!, p.Spec.HostNetwork ? null : p.Status.PodIP), StringComparer.Ordinal)),
        Services = ServicesOf.GetValue(services, services => services.ToDictionary(
            s => s.QualifiedName,
            s => new PriorService(s.ClusterIP, new(s.Ports.Where(p => p.NodePort is not null).Select(p => new PriorNodePort(p.Port, p.Protocol, p.NodePort!.Value))), s.HealthCheckNodePort, s.LoadBalancerIngress),
            StringComparer.Ordinal)),
    };

    /// <summary>Pods without a node or an IP of their own get the ones they had, when these still fit.</summary>
    public IEnumerable<Pod> Pin(IEnumerable<Pod> pods, IReadOnlyDictionary<string, Node> nodes)
    {
        foreach (var pod in pods)
        {
            if (!Pods.TryGetValue(pod.QualifiedName, out var prior) || !nodes.TryGetValue(prior.Node, out var node)
                || (pod.Spec.NodeName is { } declared && declared != prior.Node))
            {
                yield return pod;
                continue;
            }

            var pinned = pod with { Spec = pod.Spec with { NodeName = prior.Node } };
            if (pod.Status.PodIP is null && !pod.Spec.HostNetwork && prior.Address is { } address && node.PodCidr is { } cidr && cidr.Contains(address))
            {
                pinned = pinned with { Status = pinned.Status with { PodIP = address } };
            }

            yield return pinned;
        }
    }

    /// <summary>
    /// Services without a ClusterIP or node ports of their own get the ones they had, when these still fit. A value the
    /// input now requests that another Service already holds is refused, as the API server refuses it.
    /// </summary>
    public IReadOnlyList<Service> Pin(IEnumerable<Service> services, ClusterConfig config, List<Diagnostic> diagnostics)
    {
        var input = services.ToList();
        var pinned = PinEach(input, config).ToList();
        var heldIPs = new Dictionary<IPAddress, string>();
        var heldPorts = new Dictionary<int, string>();
        for (var i = 0; i < input.Count; i++)
        {
            if (input[i].ClusterIP is null && pinned[i].ClusterIP is { } ip)
            {
                heldIPs[ip] = pinned[i].QualifiedName;
            }

            // Node ports the Service holds from before (not the ones it asks for itself), without a set per Service.
            foreach (var port in pinned[i].Ports)
            {
                if (port.NodePort is { } held && !input[i].Ports.Contains(port))
                {
                    heldPorts[held] = pinned[i].QualifiedName;
                }
            }
        }

        foreach (var service in input)
        {
            var errors = new Validation.FieldErrors(new ObjectRef("Service", service.Namespace, service.Name), service.Meta.Source, diagnostics);
            if (service.ClusterIP is { } ip && heldIPs.TryGetValue(ip, out var owner) && owner != service.QualifiedName)
            {
                errors.Invalid("spec.clusterIP", ip.ToString(), $"provided IP is already allocated (to Service {owner})");
            }

            for (var p = 0; p < service.Ports.Count; p++)
            {
                if (service.Ports[p].NodePort is { } nodePort && heldPorts.TryGetValue(nodePort, out var holder) && holder != service.QualifiedName)
                {
                    errors.Invalid($"spec.ports[{p}].nodePort", nodePort, $"provided port is already allocated (to Service {holder})");
                }
            }
        }

        return pinned;
    }

    private IEnumerable<Service> PinEach(IEnumerable<Service> services, ClusterConfig config)
    {
        foreach (var service in services)
        {
            if (!Services.TryGetValue(service.QualifiedName, out var prior))
            {
                yield return service;
                continue;
            }

            var pinned = service;
            if (service.NeedsClusterIP && service.ClusterIP is null && prior.ClusterIP is { } ip && config.ServiceCidr.Contains(ip))
            {
                pinned = pinned with { ClusterIP = ip };
            }

            if (service.NeedsNodePorts)
            {
                pinned = pinned with
                {
                    Ports = new(service.Ports.Select(port => port.NodePort is null
                        && prior.NodePorts.FirstOrDefault(p => p.Port == port.Port && p.Protocol == port.Protocol) is { } had
                        && had.NodePort >= config.NodePortMin && had.NodePort <= config.NodePortMax
                            ? port with { NodePort = had.NodePort }
                            : port)),
                };
            }

            if (service.Type == ServiceType.LoadBalancer && service.ExternalTrafficPolicy == TrafficPolicy.Local && service.HealthCheckNodePort is null)
            {
                pinned = pinned with { HealthCheckNodePort = prior.HealthCheckNodePort };
            }

            // A LoadBalancer address is kept like a dump's status, unless the Service now asks for particular ones.
            if (service.Type == ServiceType.LoadBalancer && service.LoadBalancerIngress.IsEmpty && !prior.LoadBalancerIngress.IsEmpty
                && service.LoadBalancerIP is null && LoadBalancing.LoadBalancerAnnotations.Get(service, LoadBalancing.LoadBalancerAnnotations.LoadBalancerIPs).Value is null)
            {
                pinned = pinned with { LoadBalancerIngress = prior.LoadBalancerIngress };
            }

            yield return pinned;
        }
    }
}
