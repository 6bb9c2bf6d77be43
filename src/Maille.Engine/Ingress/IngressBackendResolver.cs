using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using Maille.Model;

namespace Maille.Engine.Ingresses;

/// <summary>
/// Resolves an Ingress backend against the planned cluster, as an Ingress controller reading Services and
/// EndpointSlices does: the Service in the Ingress's namespace, its port by number or name (TCP), and the ready
/// endpoints of that port from the Service's EndpointSlices (the controller connects to pod addresses directly, not
/// through the ClusterIP). Resource backends are refused.
/// </summary>
internal sealed class IngressBackendResolver(ClusterState cluster, List<IngressProblem> problems)
{
    /// <summary>Resolves <paramref name="backend"/> of <paramref name="ingress"/>; <paramref name="where"/> names it in reasons.</summary>
    /// <param name="protocol">The protocol the Ingress's annotation asks for (see <see cref="ProtocolOf"/>).</param>
    public IngressBackendResolution Resolve(Ingress ingress, IngressBackend backend, string where, BackendProtocol protocol)
    {
        if (backend.Service is not { } reference)
        {
            var refusal = $"{where}: resource backend {backend.Resource} is not supported; Maille's Ingress controller proxies only Service backends";
            problems.Add(new IngressProblem($"Ingress {ingress.Meta.QualifiedName}", refusal));
            return Refuse(IngressOutcome.Unsupported, 500, refusal, null, null, protocol);
        }

        var serviceName = $"{ingress.Namespace}/{reference.Name}";
        if (!cluster.ServicesByName.TryGetValue(serviceName, out var service))
        {
            return Report(ingress, $"{where}: no Service {serviceName}", null, null, protocol);
        }

        if (service.Type == ServiceType.ExternalName)
        {
            return Report(ingress, $"{where}: Service {serviceName} is an ExternalName Service ({service.ExternalName}), which Maille's Ingress controller does not proxy", service, null, protocol);
        }

        var port = reference.Port is { IsNamed: true } named
            ? service.Ports.FirstOrDefault(p => p.Name == named.Name && p.Protocol == Protocol.TCP)
            : service.Ports.FirstOrDefault(p => p.Port == reference.Port?.Number && p.Protocol == Protocol.TCP);
        if (port is null)
        {
            return Report(ingress, $"{where}: Service {serviceName} has no TCP port {reference.Port} (it serves {string.Join(", ", service.Ports)})", service, null, protocol);
        }

        if (protocol == BackendProtocol.Http && port.AppProtocol == MailleIngressController.H2cAppProtocol)
        {
            protocol = BackendProtocol.H2c;
        }

        var endpoints = ReadyEndpoints(cluster, service, port);
        var portText = port.Name ?? port.Port.ToString(CultureInfo.InvariantCulture);
        if (endpoints.IsEmpty)
        {
            return Refuse(IngressOutcome.NoEndpoints, 503, $"Service {serviceName} has no ready endpoint for port {portText}", service, port, protocol);
        }

        return new IngressBackendResolution(IngressOutcome.Routed, 200,
            $"{where} → Service {serviceName} port {portText} ({endpoints.Length} ready endpoint{(endpoints.Length == 1 ? "" : "s")})",
            service, port, endpoints, protocol);
    }

    private IngressBackendResolution Report(Ingress ingress, string reason, Service? service, ServicePort? port, BackendProtocol protocol)
    {
        problems.Add(new IngressProblem($"Ingress {ingress.Meta.QualifiedName}", reason));
        return Refuse(IngressOutcome.NoEndpoints, 503, reason, service, port, protocol);
    }

    private static IngressBackendResolution Refuse(IngressOutcome outcome, int status, string reason, Service? service, ServicePort? port, BackendProtocol protocol) =>
        new(outcome, status, reason, service, port, [], protocol);

    /// <summary>The ready endpoints of <paramref name="port"/> of <paramref name="service"/>, from its EndpointSlices (also the Gateway controller's).</summary>
    internal static ImmutableArray<IngressEndpoint> ReadyEndpoints(ClusterState cluster, Service service, ServicePort port)
    {
        var endpoints = new List<IngressEndpoint>();
        foreach (var slice in cluster.SlicesFor(service).Where(s => s.AddressType is "IPv4" or "IPv6"))
        {
            var slicePort = slice.Ports.FirstOrDefault(p => (p.Name ?? "") == (port.Name ?? "") && p.Protocol == Protocol.TCP);
            var number = slicePort?.Port ?? (slice.Ports.IsEmpty ? port.TargetPort.Number : null);
            if (number is not { } targetPort)
            {
                continue;
            }

            foreach (var endpoint in slice.Endpoints.Where(e => e.Conditions.Ready))
            {
                foreach (var address in endpoint.Addresses)
                {
                    if (IPAddress.TryParse(address, out var ip))
                    {
                        endpoints.Add(new IngressEndpoint(ip, targetPort, endpoint.TargetPod, endpoint.NodeName));
                    }
                }
            }
        }

        return [.. endpoints.DistinctBy(e => (e.Address, e.Port)).OrderBy(e => e.Address.ToString(), StringComparer.Ordinal).ThenBy(e => e.Port)];
    }

    /// <summary>The protocol <see cref="MailleIngressController.BackendProtocolAnnotation"/> asks for; a bad value is reported, HTTP used.</summary>
    public BackendProtocol ProtocolOf(Ingress ingress)
    {
        var value = ingress.Meta.Annotations.Get(MailleIngressController.BackendProtocolAnnotation);
        switch (value?.ToUpperInvariant())
        {
            case null or "HTTP":
                return BackendProtocol.Http;
            case "H2C":
                return BackendProtocol.H2c;
            case "GRPC":
                return BackendProtocol.Grpc;
            default:
                problems.Add(new IngressProblem($"Ingress {ingress.Meta.QualifiedName}",
                    $"annotation {MailleIngressController.BackendProtocolAnnotation}: \"{value}\" is not HTTP, H2C or GRPC; HTTP is used"));
                return BackendProtocol.Http;
        }
    }
}
