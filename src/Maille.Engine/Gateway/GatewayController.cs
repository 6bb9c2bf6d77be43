using Maille.Engine.Mesh;
using Maille.Model;

namespace Maille.Engine.Gateways;

/// <summary>
/// Maille's Gateway API controller as a pure function of the planned cluster: it accepts the GatewayClasses whose
/// <c>controllerName</c> is <see cref="GatewayApi.ControllerName"/>, checks the listeners of their Gateways, attaches
/// routes, resolves backends, and yields every status and a route table per Gateway (<see cref="GatewayPlan"/>).
/// It also plays Istio's waypoint controller: the waypoint Gateways' statuses (<c>GatewayController.Waypoints.cs</c>)
/// and GAMMA, the routes attached to Services, with their tables. Objects of other controllers get no status from it.
/// </summary>
public static partial class GatewayController
{
    /// <summary>The label the LoadBalancer Service of a Gateway carries: the Gateway's name (the Gateway API's well-known label).</summary>
    public const string GatewayNameLabel = "gateway.networking.k8s.io/gateway-name";

    private static readonly GatewayRouteKind HttpRouteKind = new(GatewayApi.Group, GatewayApi.HttpRouteKind);

    private static readonly GatewayRouteKind GrpcRouteKind = new(GatewayApi.Group, GatewayApi.GrpcRouteKind);

    /// <summary>The LoadBalancer Service that gives a Gateway its address, in the Gateway's namespace.</summary>
    public static string ServiceNameOf(Gateway gateway) => $"maille-gateway-{gateway.Meta.Name}";

    public static GatewayPlan Build(ClusterState cluster)
    {
        var classes = cluster.GatewayClasses
            .Where(c => c.ControllerName == GatewayApi.ControllerName)
            .Select(c => new GatewayClassStatus(c.Name, [GatewayCondition.True("Accepted", "Accepted", "Maille's Gateway controller handles this class")]))
            .Concat(WaypointClassStatuses(cluster))
            .ToList();
        var ours = cluster.GatewayClasses.Where(c => c.ControllerName == GatewayApi.ControllerName).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var gateways = cluster.Gateways.Where(g => ours.Contains(g.GatewayClassName)).ToList();
        var waypoints = Waypoints.For(cluster).All.ToList();
        var gamma = cluster.HttpRoutes.Any(r => r.ParentRefs.Any(IsServiceParent)) || cluster.GrpcRoutes.Any(r => r.ParentRefs.Any(IsServiceParent));
        if (gateways.Count == 0 && waypoints.Count == 0 && !gamma)
        {
            return GatewayPlan.Empty with { Classes = classes };
        }

        var grants = new ReferenceGrantIndex(cluster.ReferenceGrants);
        var listeners = gateways.ToDictionary(g => g.Meta.QualifiedName, g => CheckListeners(cluster, grants, g), StringComparer.Ordinal);
        var attachments = new RouteAttachments(cluster, gateways.ToDictionary(g => g.Meta.QualifiedName, StringComparer.Ordinal), listeners, new GatewayBackendResolver(cluster, grants));
        attachments.AttachAll();

        var waypointsByName = waypoints.ToDictionary(w => w.QualifiedName, StringComparer.Ordinal);
        var statuses = cluster.Gateways
            .Select(g => listeners.TryGetValue(g.Meta.QualifiedName, out var checks)
                ? GatewayStatusOf(cluster, g, checks, attachments)
                : waypointsByName.TryGetValue(g.Meta.QualifiedName, out var waypoint) ? WaypointStatusOf(waypoint) : null)
            .OfType<GatewayStatus>()
            .ToList();
        var tables = gateways.ToDictionary(
            g => g.Meta.QualifiedName,
            g => new GatewayRouteTable(g.Meta.QualifiedName, listeners[g.Meta.QualifiedName].Where(l => l.Programmed).Select(l => attachments.RoutesOf(g, l.Listener))),
            StringComparer.Ordinal);
        return new GatewayPlan(classes, statuses, attachments.Statuses, tables) { ServiceTables = attachments.ServiceTables() };
    }

    private static bool IsServiceParent(GatewayParentRef parent) => parent.Group == "" && parent.Kind == "Service";

    private static GatewayStatus GatewayStatusOf(ClusterState cluster, Gateway gateway, List<ListenerCheck> listeners, RouteAttachments attachments)
    {
        var service = cluster.ServicesByName.GetValueOrDefault($"{gateway.Namespace}/{ServiceNameOf(gateway)}");
        var addresses = service?.LoadBalancerIngress.ToList() ?? [];
        var valid = listeners.Count(l => l.Accepted);
        GatewayCondition accepted;
        if (!gateway.RequestedAddresses.IsEmpty)
        {
            accepted = GatewayCondition.False("Accepted", "UnsupportedAddress", "Maille assigns a Gateway's address from the LoadBalancer pools; spec.addresses is not supported");
        }
        else if (valid == listeners.Count)
        {
            accepted = GatewayCondition.True("Accepted", "Accepted", "Accepted by Maille's Gateway controller");
        }
        else
        {
            accepted = new GatewayCondition("Accepted", valid > 0, "ListenersNotValid", $"{listeners.Count - valid} of {listeners.Count} listeners are not valid");
        }

        var programmed = !accepted.Status
            ? GatewayCondition.False("Programmed", "Invalid", "the Gateway is not accepted")
            : addresses.Count == 0
                ? GatewayCondition.False("Programmed", "AddressNotAssigned", $"LoadBalancer Service {gateway.Namespace}/{ServiceNameOf(gateway)} has no address yet")
                : GatewayCondition.True("Programmed", "Programmed", "Programmed in Maille's Gateway proxy");
        return new GatewayStatus(
            gateway.Meta.QualifiedName,
            [accepted, programmed],
            addresses,
            [.. listeners.Select(l => new GatewayListenerStatus(l.Listener.Name, l.SupportedKinds, attachments.AttachedRoutes(gateway, l.Listener), l.Conditions))]);
    }

    /// <summary>
    /// Each listener's conditions: the protocol (HTTP and HTTPS are supported), conflicts with other listeners on its
    /// port, the route kinds it allows, and for HTTPS its certificateRefs (core Secrets of type kubernetes.io/tls,
    /// another namespace's only with a ReferenceGrant).
    /// </summary>
    private static List<ListenerCheck> CheckListeners(ClusterState cluster, ReferenceGrantIndex grants, Gateway gateway)
    {
        var checks = new List<ListenerCheck>();
        foreach (var listener in gateway.Listeners)
        {
            var supported = listener.Protocol is "HTTP" or "HTTPS";
            var others = gateway.Listeners.Where(l => l != listener && l.Port == listener.Port).ToList();
            var protocolConflict = others.Any(o => Family(o.Protocol) != Family(listener.Protocol));
            var hostnameConflict = !protocolConflict && others.Any(o => o.Protocol == listener.Protocol && o.Hostname == listener.Hostname);

            var kinds = new List<GatewayRouteKind>();
            var invalidKinds = false;
            if (listener.AllowedRoutes.Kinds.IsEmpty)
            {
                kinds.AddRange(supported ? [HttpRouteKind, GrpcRouteKind] : []);
            }
            else
            {
                foreach (var kind in listener.AllowedRoutes.Kinds)
                {
                    if (kind == HttpRouteKind || kind == GrpcRouteKind)
                    {
                        kinds.Add(kind);
                    }
                    else
                    {
                        invalidKinds = true;
                    }
                }
            }

            var certificateProblem = listener.Protocol == "HTTPS" ? CertificateProblem(cluster, grants, gateway, listener) : null;
            var conditions = new List<GatewayCondition>();
            var accepted = supported && !protocolConflict && !hostnameConflict;
            conditions.Add(supported
                ? GatewayCondition.True("Accepted", "Accepted", "Accepted")
                : GatewayCondition.False("Accepted", "UnsupportedProtocol", $"protocol {listener.Protocol} is not supported: Maille's Gateway serves HTTP and HTTPS"));
            conditions.Add(protocolConflict
                ? GatewayCondition.True("Conflicted", "ProtocolConflict", $"another listener on port {listener.Port} has a different protocol")
                : hostnameConflict
                    ? GatewayCondition.True("Conflicted", "HostnameConflict", $"another listener on port {listener.Port} has the same hostname")
                    : GatewayCondition.False("Conflicted", "NoConflicts", "No conflicts"));
            conditions.Add(certificateProblem is var (reason, message)
                ? GatewayCondition.False("ResolvedRefs", reason, message)
                : invalidKinds
                    ? GatewayCondition.False("ResolvedRefs", "InvalidRouteKinds", "allowedRoutes.kinds names kinds other than HTTPRoute and GRPCRoute")
                    : GatewayCondition.True("ResolvedRefs", "ResolvedRefs", "All references resolved"));
            var programmed = accepted && certificateProblem is null;
            conditions.Add(programmed
                ? GatewayCondition.True("Programmed", "Programmed", "Programmed")
                : GatewayCondition.False("Programmed", "Invalid", "the listener is not valid"));
            checks.Add(new ListenerCheck(listener, accepted, programmed, kinds, conditions));
        }

        return checks;
    }

    /// <summary>Protocols that may share a port: HTTPS and TLS (told apart by SNI); every other protocol on its own.</summary>
    private static string Family(string protocol) => protocol is "HTTPS" or "TLS" ? "TLS" : protocol;

    private static (string Reason, string Message)? CertificateProblem(ClusterState cluster, ReferenceGrantIndex grants, Gateway gateway, GatewayListener listener)
    {
        if (listener.CertificateRefs.IsEmpty)
        {
            return ("InvalidCertificateRef", "an HTTPS listener needs a certificateRef");
        }

        foreach (var reference in listener.CertificateRefs)
        {
            var ns = reference.Namespace ?? gateway.Namespace;
            if (reference.Group != "" || reference.Kind != "Secret")
            {
                return ("InvalidCertificateRef", $"certificateRef {reference.Kind} {reference.Name} is not a core Secret");
            }

            if (!grants.Permits(GatewayApi.Group, GatewayApi.GatewayKind, gateway.Namespace, "", "Secret", ns, reference.Name))
            {
                return ("RefNotPermitted", $"no ReferenceGrant in namespace {ns} lets Gateways of {gateway.Namespace} refer to Secret {reference.Name}");
            }

            var secret = cluster.Secrets.FirstOrDefault(s => s.Meta.Namespace == ns && s.Meta.Name == reference.Name);
            if (secret is null)
            {
                return ("InvalidCertificateRef", $"Secret {ns}/{reference.Name} not found");
            }

            if (secret.Type != Secret.TlsType || !secret.Data.ContainsKey("tls.crt") || !secret.Data.ContainsKey("tls.key"))
            {
                return ("InvalidCertificateRef", $"Secret {ns}/{reference.Name} is not a kubernetes.io/tls Secret with tls.crt and tls.key");
            }
        }

        return null;
    }
}
