using System.Net;
using Maille.Engine.ServiceProxy;
using Maille.Model;

namespace Maille.Benchmarks;

/// <summary>
/// A node's service plan made directly (no manifests): <c>services</c> ClusterIP Services of one TCP port, each with
/// <c>endpoints</c> endpoints, ClusterIPs counted up from 198.18.128.1, endpoints from 198.19.0.1 (pods shared between
/// Services once 65,000 are used). Deterministic.
/// </summary>
internal static class SyntheticServicePlan
{
    public static NodeServicePlan Make(int services, int endpoints, int generation = 0) => new()
    {
        NodeName = "node-1",
        NodeAddress = IPAddress.Parse("198.18.0.11"),
        ClusterCidr = IPNetwork.Parse("198.19.0.0/16"),
        ServiceCidr = IPNetwork.Parse("198.18.128.0/17"),
        Ports = new(Enumerable.Range(0, services).Select(s => Port(s, endpoints, generation))),
    };

    /// <summary>Service <paramref name="service"/> with its endpoints moved by <paramref name="generation"/> (a rollout).</summary>
    public static ServicePortPlan Port(int service, int endpoints, int generation) => new()
    {
        Id = new ServicePortId("bench", $"svc-{service:D5}", "http", Protocol.TCP),
        ClusterIP = IpMath.Offset(IPNetwork.Parse("198.18.128.0/17"), (ulong)service + 1),
        Port = 80,
        ClusterEndpoints = new(Enumerable.Range(0, endpoints).Select(e => new ProxyEndpoint(
            IpMath.Offset(IPNetwork.Parse("198.19.0.0/16"), (ulong)((((service * endpoints) + e + generation) % 65000) + 1)), 8080, "node-2", false, false))),
    };

    /// <summary><paramref name="plan"/> with one Service's endpoints replaced, as one rollout step does.</summary>
    public static NodeServicePlan WithOneChange(NodeServicePlan plan, int service, int generation)
    {
        var ports = plan.Ports.AsImmutableArray();
        var endpoints = ports[service].ClusterEndpoints.Count;
        return plan with { Ports = ports.SetItem(service, Port(service, endpoints, generation)) };
    }

    /// <summary>
    /// <paramref name="plan"/> with one endpoint added to Service <paramref name="service"/> (<paramref name="added"/>),
    /// or that endpoint removed again: the smallest change an EndpointSlice makes. The added endpoint's address is
    /// outside the ones <see cref="Make"/> hands out.
    /// </summary>
    public static NodeServicePlan WithEndpointToggled(NodeServicePlan plan, int service, int endpoints, bool added)
    {
        var ports = plan.Ports.AsImmutableArray();
        var port = Port(service, endpoints, generation: 0);
        var extra = new ProxyEndpoint(IpMath.Offset(IPNetwork.Parse("198.19.0.0/16"), (ulong)(65001 + (service % 500))), 8080, "node-2", false, false);
        return plan with { Ports = ports.SetItem(service, added ? port with { ClusterEndpoints = new([.. port.ClusterEndpoints, extra]) } : port) };
    }
}
