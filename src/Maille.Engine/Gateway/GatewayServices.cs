using System.Globalization;
using Maille.Model;

namespace Maille.Engine.Gateways;

/// <summary>
/// The LoadBalancer Service each Gateway of a Maille class gets, as an implementation provisions one per Gateway:
/// <c>maille-gateway-NAME</c> in the Gateway's namespace, one TCP port per listener port, selecting the Gateway's proxy
/// pods by <see cref="GatewayController.GatewayNameLabel"/>. Its LoadBalancer address (from the pools, as planning
/// allocates it) is the Gateway's <c>status.addresses</c>. Not added when the input already has a Service of that name,
/// or when the name would be longer than a Service name may be.
/// </summary>
public static class GatewayServices
{
    public static SourceLocation Source { get; } = new("<gateway controller>", null);

    public static ManifestSet With(ManifestSet manifests)
    {
        if (manifests.Gateways.IsEmpty)
        {
            return manifests;
        }

        var classes = manifests.GatewayClasses.Where(c => c.ControllerName == GatewayApi.ControllerName).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var existing = manifests.Services.Select(s => s.QualifiedName).ToHashSet(StringComparer.Ordinal);
        var added = manifests.Gateways
            .Where(g => classes.Contains(g.GatewayClassName) && !g.Listeners.IsEmpty)
            .Where(g => GatewayController.ServiceNameOf(g).Length <= 63 && !existing.Contains($"{g.Namespace}/{GatewayController.ServiceNameOf(g)}"))
            .Select(ServiceOf)
            .ToList();
        return added.Count == 0 ? manifests : manifests with { Services = new([.. manifests.Services, .. added]) };
    }

    private static Service ServiceOf(Gateway gateway)
    {
        var labels = Labels.Of((GatewayController.GatewayNameLabel, gateway.Meta.Name));
        return new Service
        {
            Meta = new ObjectMeta { Name = GatewayController.ServiceNameOf(gateway), Namespace = gateway.Namespace, Labels = labels, Source = Source },
            Type = ServiceType.LoadBalancer,
            Selector = labels,
            Ports = new(gateway.Listeners.Select(l => l.Port).Where(p => p is >= 1 and <= 65535).Distinct().Order().Select(port => new ServicePort
            {
                Name = "port-" + port.ToString(CultureInfo.InvariantCulture),
                Port = port,
                TargetPort = PortRef.FromNumber(port),
            })),
        };
    }
}
