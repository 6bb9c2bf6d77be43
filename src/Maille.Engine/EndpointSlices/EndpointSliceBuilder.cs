using Maille.Model;

namespace Maille.Engine.EndpointSlices;

/// <summary>
/// The EndpointSlice controller: for a Service with a selector, the selected pods of its namespace, each with the
/// Service's ports resolved on that pod (a named targetPort the pod does not declare leaves the pod out for that
/// port), grouped by resolved port set, at most 100 endpoints per slice. Conditions follow Kubernetes:
/// serving = pod ready; terminating = deletionTimestamp set; ready = serving and not terminating, or forced by
/// <c>publishNotReadyAddresses</c>.
/// </summary>
internal static class EndpointSliceBuilder
{
    public const string ControllerName = "endpointslice-controller.k8s.io";

    /// <summary>Whether the controller makes an endpoint of <paramref name="pod"/> for <paramref name="service"/>: in its namespace, selected, addressed, not finished.</summary>
    public static bool IsEndpointOf(Service service, Pod pod) =>
        service.Selector is { } selector && pod.Namespace == service.Namespace && pod.Status.PodIP is not null && pod.Status.Phase is not ("Succeeded" or "Failed") && Selects(selector, pod.Labels);

    /// <summary>The slices of <paramref name="service"/> from the pods it selects (each <see cref="IsEndpointOf"/> it), in name order.</summary>
    public static IEnumerable<EndpointSlice> FromSelected(Service service, IEnumerable<Pod> selected)
    {
        if (service.Selector is null || service.Type == ServiceType.ExternalName)
        {
            yield break;
        }

        var groups = new SortedDictionary<string, (List<EndpointPort> Ports, List<Endpoint> Endpoints)>(StringComparer.Ordinal);
        foreach (var pod in selected)
        {
            var ports = ResolvePorts(service, pod);
            if (ports.Count == 0 && !service.Ports.IsEmpty)
            {
                continue;
            }

            var key = string.Join(",", ports.Select(p => $"{p.Name}:{p.Port}/{p.Protocol}"));
            if (!groups.TryGetValue(key, out var group))
            {
                group = (ports, []);
                groups[key] = group;
            }

            var serving = pod.Status.Ready ?? true;
            var terminating = pod.IsTerminating;
            group.Endpoints.Add(new Endpoint
            {
                Addresses = new[] { pod.Status.PodIP!.ToString() },
                Conditions = new EndpointConditions(service.PublishNotReadyAddresses || (serving && !terminating), serving, terminating),
                NodeName = pod.Spec.NodeName,
                Hostname = pod.Spec.Hostname is { } host && pod.Spec.Subdomain == service.Name ? host : null,
                TargetPod = pod.QualifiedName,
            });
        }

        if (groups.Count == 0)
        {
            // As Kubernetes does, a Service that selects nothing still has one (empty) placeholder slice.
            yield return Slice(service, "", 0, [], []);
        }

        foreach (var (key, group) in groups)
        {
            for (var chunk = 0; chunk * EndpointSlice.MaxEndpointsPerSlice < group.Endpoints.Count; chunk++)
            {
                yield return Slice(service, key, chunk, group.Ports, group.Endpoints.Skip(chunk * EndpointSlice.MaxEndpointsPerSlice).Take(EndpointSlice.MaxEndpointsPerSlice));
            }
        }
    }

    /// <summary>A Service's selector selects a pod when every selector label is on the pod (an empty selector selects nothing: such a Service has no managed endpoints).</summary>
    public static bool Selects(Labels selector, Labels podLabels) => selector.Count > 0 && selector.IsSubsetOf(podLabels);

    public static List<EndpointPort> ResolvePorts(Service service, Pod pod)
    {
        var ports = new List<EndpointPort>();
        foreach (var port in service.Ports)
        {
            var number = port.TargetPort.IsNamed ? pod.Spec.FindPort(port.TargetPort.Name!, port.Protocol)?.Port : port.TargetPort.Number;
            if (number is not null)
            {
                ports.Add(new EndpointPort(port.Name ?? "", number, port.Protocol, port.AppProtocol));
            }
        }

        return ports;
    }

    private static EndpointSlice Slice(Service service, string portKey, int chunk, List<EndpointPort> ports, IEnumerable<Endpoint> endpoints) => new()
    {
        Meta = new ObjectMeta
        {
            Name = $"{service.Name}-{StableHash.Suffix($"{service.QualifiedName}/{portKey}/{chunk}", 5)}",
            Namespace = service.Namespace,
            Labels = Labels.Of((EndpointSlice.ServiceNameLabel, service.Name), (EndpointSlice.ManagedByLabel, ControllerName)),
            // The EndpointSlice controller makes a Service's slices as soon as the Service exists.
            CreationTimestamp = service.Meta.CreationTimestamp,
            Source = service.Meta.Source,
        },
        Ports = new(ports),
        Endpoints = new(endpoints),
    };
}
