using Maille.Model;

namespace Maille.Engine.Mesh;

/// <summary>
/// The waypoints of a cluster and which one each Service uses, as istiod decides it (docs/mesh.md, "Waypoint").
/// <para>
/// A waypoint is a Gateway of class <see cref="MeshApi.WaypointClassName"/>. istiod installs that GatewayClass itself
/// (controller <see cref="MeshApi.WaypointControllerName"/>), so the input need not declare it; when it declares a
/// GatewayClass of that name with another controller, that class wins and its Gateways are not waypoints.
/// </para>
/// <para>
/// A Service uses the waypoint its own <c>istio.io/use-waypoint</c> label names, else its namespace's (<c>none</c> on
/// the Service opts it out of its namespace's); <c>istio.io/use-waypoint-namespace</c> beside the label names the
/// waypoint's namespace, else it is the labelled object's. istiod binds the Service only when that Gateway exists, is a
/// waypoint with its HBONE listener, takes Service traffic (<c>istio.io/waypoint-for</c> <c>service</c> or <c>all</c>)
/// and admits the Service's namespace (the listener's <c>allowedRoutes</c>, <c>Same</c> by default); otherwise the
/// Service's traffic goes straight to its endpoints, and the binding says why.
/// </para>
/// </summary>
public sealed class Waypoints
{
    private readonly ClusterState _cluster;
    private readonly Dictionary<string, Waypoint> _byName;

    private Waypoints(ClusterState cluster)
    {
        _cluster = cluster;
        _byName = cluster.Gateways.Where(g => IsWaypointClass(cluster, g.GatewayClassName)).Select(Of).ToDictionary(w => w.QualifiedName, StringComparer.Ordinal);
    }

    public static Waypoints For(ClusterState cluster) => new(cluster);

    /// <summary>Every waypoint Gateway, valid or not, in namespace/name order.</summary>
    public IEnumerable<Waypoint> All => _byName.Values.OrderBy(w => w.QualifiedName, StringComparer.Ordinal);

    public Waypoint? Find(string qualifiedName) => _byName.GetValueOrDefault(qualifiedName);

    /// <summary>Whether Gateways of <paramref name="className"/> are waypoints: Istio's class, unless the input gives that name to another controller.</summary>
    public static bool IsWaypointClass(ClusterState cluster, string className) => IsWaypointClass(cluster.GatewayClasses, className);

    /// <inheritdoc cref="IsWaypointClass(ClusterState, string)"/>
    public static bool IsWaypointClass(IEnumerable<GatewayClass> classes, string className)
    {
        if (className != MeshApi.WaypointClassName)
        {
            return false;
        }

        var declared = classes.FirstOrDefault(c => c.Name == className);
        return declared is null || declared.ControllerName == MeshApi.WaypointControllerName;
    }

    /// <summary>A waypoint Gateway as istiod reads it: what it serves, its service account, and why it cannot serve.</summary>
    public static Waypoint Of(Gateway gateway)
    {
        var waypointFor = gateway.Meta.Labels.Get(MeshApi.WaypointForLabel) ?? "service";
        var serviceAccount = gateway.Meta.Annotations.Get(MeshApi.WaypointServiceAccountAnnotation) ?? gateway.Meta.Name;
        var problem = gateway.Listeners.Any(l => l.Port == MeshApi.HbonePort && l.Protocol == MeshApi.HboneProtocol)
            ? null
            : $"a waypoint needs a listener with port {MeshApi.HbonePort} and protocol {MeshApi.HboneProtocol}";
        return new Waypoint(gateway, waypointFor, serviceAccount, problem);
    }

    /// <summary>The waypoint <paramref name="service"/>'s traffic goes through, and which label decided.</summary>
    public WaypointBinding BindingOf(Service service)
    {
        var ns = _cluster.NamespacesByName.GetValueOrDefault(service.Namespace);
        string requested, requestedNs, by;
        if (service.Meta.Labels.Get(MeshApi.UseWaypointLabel) is { } own)
        {
            if (own == MeshApi.OptOut)
            {
                return WaypointBinding.None($"the Service's label {MeshApi.UseWaypointLabel}={MeshApi.OptOut} opts it out");
            }

            (requested, requestedNs, by) = (own, service.Meta.Labels.Get(MeshApi.UseWaypointNamespaceLabel) ?? service.Namespace, $"the Service's label {MeshApi.UseWaypointLabel}={own}");
        }
        else if (ns?.Meta.Labels.Get(MeshApi.UseWaypointLabel) is { } inherited && inherited != MeshApi.OptOut)
        {
            (requested, requestedNs, by) = (inherited, ns.Meta.Labels.Get(MeshApi.UseWaypointNamespaceLabel) ?? service.Namespace, $"namespace {service.Namespace}'s label {MeshApi.UseWaypointLabel}={inherited}");
        }
        else
        {
            return WaypointBinding.None($"neither the Service nor namespace {service.Namespace} has the label {MeshApi.UseWaypointLabel}");
        }

        var name = $"{requestedNs}/{requested}";
        string? refusal = null;
        if (!_byName.TryGetValue(name, out var waypoint))
        {
            refusal = _cluster.Gateways.Any(g => g.Meta.QualifiedName == name)
                ? $"Gateway {name} is not of class {MeshApi.WaypointClassName}"
                : $"no waypoint Gateway {name}";
        }
        else if (waypoint.Problem is { } problem)
        {
            refusal = $"Gateway {name} is not a valid waypoint: {problem}";
        }
        else if (!waypoint.ServesServices)
        {
            refusal = $"waypoint {name} is for {waypoint.For} ({MeshApi.WaypointForLabel}), not for Services";
        }
        else if (!waypoint.MeshListener!.AllowedRoutes.Admits(waypoint.Namespace, service.Namespace, ns?.Meta.Labels))
        {
            refusal = $"waypoint {name}'s listener {waypoint.MeshListener.Name} does not admit namespace {service.Namespace} (allowedRoutes from {waypoint.MeshListener.AllowedRoutes.From})";
        }

        return refusal is null
            ? new WaypointBinding(waypoint, name, by)
            : new WaypointBinding(null, name, $"{by}, but {refusal}: istiod does not bind the Service, whose traffic goes straight to its endpoints");
    }
}
