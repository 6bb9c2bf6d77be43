using Maille.Model;

namespace Maille.Engine.LoadBalancing;

/// <summary>
/// One Service's use of a LoadBalancer address, with what MetalLB compares when two Services want the same one: the
/// sharing key (<c>metallb.io/allow-shared-ip</c>; null = no sharing), the backend key (the selector under
/// <c>externalTrafficPolicy: Local</c>, empty under Cluster) and the ports.
/// </summary>
internal sealed record AddressClaim(string Service, string? SharingKey, string BackendKey, EquatableArray<(int Port, Protocol Protocol)> Ports)
{
    public static AddressClaim For(Service service)
    {
        var (sharing, _) = LoadBalancerAnnotations.Get(service, LoadBalancerAnnotations.AllowSharedIP);
        var backend = service.ExternalTrafficPolicy == TrafficPolicy.Local && service.Selector is { } selector
            ? string.Join(",", selector.Select(l => $"{l.Key}={l.Value}"))
            : "";
        return new AddressClaim(
            service.QualifiedName,
            string.IsNullOrEmpty(sharing) ? null : sharing,
            backend,
            new(service.Ports.Select(p => (p.Port, p.Protocol)).Distinct()));
    }
}
