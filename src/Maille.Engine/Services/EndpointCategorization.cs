using Maille.Model;

namespace Maille.Engine.Services;

/// <summary>
/// kube-proxy's <c>CategorizeEndpoints</c> (pkg/proxy/topology.go), written once for every reader: the endpoints a
/// Service port sends <see cref="Cluster"/>-policy traffic to, the ones it sends <see cref="Local"/>-policy traffic to
/// on one node, and whether it has any usable endpoint at all. The service proxy's plan
/// (<see cref="ServiceProxy.ServiceProxyPlanner"/>) is made from it, and <c>trace</c> reads that plan. Which traffic
/// uses which list (the traffic policies, the short-circuit of pods reaching an external address) is the plan's
/// reader's business; session affinity changes nothing here.
/// </summary>
/// <remarks>
/// Ready endpoints are used; when none is ready, the serving terminating ones are (KEP-1669). That fallback is decided
/// for each list separately: cluster-wide for <see cref="Cluster"/>, among the node's own endpoints for
/// <see cref="Local"/>, so a node whose only endpoint is terminating still serves Local traffic while ready
/// endpoints run elsewhere. Both lists are sorted by address, then port.
/// </remarks>
internal sealed record EndpointCategorization(EquatableArray<ServiceEndpoint> Cluster, EquatableArray<ServiceEndpoint> Local)
{
    /// <summary>
    /// Whether any usable endpoint exists anywhere. Without one every kind of traffic is rejected; with one, traffic
    /// whose list is empty (a Local policy on a node without local endpoints) is dropped.
    /// </summary>
    public bool HasAnyEndpoints => !Cluster.IsEmpty || !Local.IsEmpty;

    /// <param name="endpoints">The port's endpoints (<see cref="ServicePortEndpoints.Of"/>).</param>
    /// <param name="nodeName">The node whose service proxy decides (where the traffic enters); null when no node is known, and then no endpoint is local.</param>
    public static EndpointCategorization Of(IReadOnlyList<ServiceEndpoint> endpoints, string? nodeName) =>
        new(Usable(endpoints), Usable([.. endpoints.Where(e => nodeName is not null && e.NodeName == nodeName)]));

    /// <summary>The ready endpoints, or when none is ready the serving terminating ones, sorted.</summary>
    private static EquatableArray<ServiceEndpoint> Usable(IReadOnlyList<ServiceEndpoint> endpoints)
    {
        List<ServiceEndpoint> chosen = endpoints.Any(e => e.Ready) ? [.. endpoints.Where(e => e.Ready)] : [.. endpoints.Where(e => e.ServingTerminating)];
        chosen.Sort(ByAddressThenPort);
        return new(chosen);
    }

    /// <summary>Addresses compared as numbers (their bytes, so IPv6 endpoints of a Service no proxy plans sort too).</summary>
    private static int ByAddressThenPort(ServiceEndpoint a, ServiceEndpoint b)
    {
        Span<byte> first = stackalloc byte[16];
        Span<byte> second = stackalloc byte[16];
        a.Address.TryWriteBytes(first, out var firstLength);
        b.Address.TryWriteBytes(second, out var secondLength);
        var order = first[..firstLength].SequenceCompareTo(second[..secondLength]);
        return order != 0 ? order : a.Port.CompareTo(b.Port);
    }
}
