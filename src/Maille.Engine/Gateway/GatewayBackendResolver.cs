using Maille.Engine.Ingresses;
using Maille.Model;

namespace Maille.Engine.Gateways;

/// <summary>
/// Resolves a route's backendRef against the planned cluster: only core Services (InvalidKind otherwise), in another
/// namespace only with a ReferenceGrant (RefNotPermitted), existing with the TCP port (BackendNotFound). An unresolved
/// reference answers 500; a resolved one with no ready endpoint 503.
/// </summary>
internal sealed class GatewayBackendResolver(ClusterState cluster, ReferenceGrantIndex grants)
{
    public GatewayBackend Resolve(string routeKind, string routeNamespace, GatewayBackendRef backend)
    {
        var resolved = ResolveReference(routeKind, routeNamespace, backend);
        if (resolved.RefProblem is null && backend.Filters.FirstOrDefault(f => !GatewayRuleAction.IsSupported(f.Type)) is { } unsupported)
        {
            resolved = resolved with { Status = 500, Reason = $"filter {unsupported.Type} of the backendRef to Service {resolved.Service} is not supported by Maille's Gateway", ReadyEndpoints = 0 };
        }

        return backend.Filters.IsEmpty ? resolved : resolved with { Filters = [.. backend.Filters] };
    }

    private GatewayBackend ResolveReference(string routeKind, string routeNamespace, GatewayBackendRef backend)
    {
        var ns = backend.Namespace ?? routeNamespace;
        var name = $"{ns}/{backend.Name}";
        var port = backend.Port ?? 0;
        if (backend.Group != "" || backend.Kind != "Service")
        {
            return Invalid("InvalidKind", $"{backend.Kind}.{backend.Group} is not a supported backend kind: only core Services are");
        }

        if (!grants.Permits(GatewayApi.Group, routeKind, routeNamespace, "", "Service", ns, backend.Name))
        {
            return Invalid("RefNotPermitted", $"no ReferenceGrant in namespace {ns} lets {routeKind}s of {routeNamespace} refer to Service {backend.Name}");
        }

        if (!cluster.ServicesByName.TryGetValue(name, out var service))
        {
            return Invalid("BackendNotFound", $"Service {name} not found");
        }

        var servicePort = service.Ports.FirstOrDefault(p => p.Port == port && p.Protocol == Protocol.TCP);
        if (servicePort is null || service.Type == ServiceType.ExternalName)
        {
            return Invalid("BackendNotFound", $"Service {name} has no TCP port {port}");
        }

        var ready = IngressBackendResolver.ReadyEndpoints(cluster, service, servicePort).Length;
        return ready == 0
            ? new GatewayBackend(name, port, backend.Weight, 503, $"Service {name} has no ready endpoint for port {port}", 0)
            : new GatewayBackend(name, port, backend.Weight, 200, $"Service {name} port {port} ({ready} ready endpoint{(ready == 1 ? "" : "s")})", ready);

        GatewayBackend Invalid(string reason, string message) => new(name, port, backend.Weight, 500, message, 0) { RefProblem = reason };
    }
}
