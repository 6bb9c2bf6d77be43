using Maille.Engine.EndpointSlices;
using Maille.Model;

namespace Maille.Engine.Analysis;

/// <summary>Lint for Services: selectors that select nothing, named target ports nobody declares, selector-less Services without endpoints.</summary>
public static class ServiceFindings
{
    public static IEnumerable<Finding> For(ClusterState cluster)
    {
        var podsByNamespace = cluster.Pods.ToLookup(p => p.Namespace, StringComparer.Ordinal);
        foreach (var service in cluster.Services)
        {
            var at = new ObjectRef("Service", service.Namespace, service.Name);
            if (service.Type == ServiceType.ExternalName)
            {
                continue;
            }

            if (service.Selector is null)
            {
                if (cluster.SlicesFor(service).Count == 0)
                {
                    yield return new Finding("ServiceWithoutEndpointSlices", at, "has no selector and no EndpointSlice labelled kubernetes.io/service-name=" + service.Name + ": it has no endpoints", service.Meta.Source);
                }

                continue;
            }

            var selected = podsByNamespace[service.Namespace].Where(p => EndpointSliceBuilder.Selects(service.Selector, p.Labels)).ToList();
            if (selected.Count == 0)
            {
                yield return new Finding("ServiceSelectsNothing", at, $"selector {service.Selector} matches no pod in namespace {service.Namespace}", service.Meta.Source);
                continue;
            }

            foreach (var port in service.Ports.Where(p => p.TargetPort.IsNamed))
            {
                var missing = selected.Where(p => p.Spec.FindPort(port.TargetPort.Name!, port.Protocol) is null).ToList();
                if (missing.Count == selected.Count)
                {
                    yield return new Finding("TargetPortNameUndeclared", at, $"port {port.Name ?? port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}: targetPort \"{port.TargetPort.Name}\" ({port.Protocol}) is declared by none of the {selected.Count} selected pods", service.Meta.Source);
                }
                else if (missing.Count > 0)
                {
                    yield return new Finding("TargetPortNamePartlyDeclared", at, $"port {port.Name ?? port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}: targetPort \"{port.TargetPort.Name}\" ({port.Protocol}) is not declared by {string.Join(", ", missing.Select(p => p.Name))}; those pods are not endpoints for it", service.Meta.Source);
                }
            }
        }
    }
}
