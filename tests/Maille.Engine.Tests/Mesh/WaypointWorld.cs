using Maille.Engine.Gateways;
using Maille.Engine.Mesh;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Engine.Tests.Mesh;

/// <summary>
/// The waypoint tests' world: examples/waypoint/apps.yaml (namespace shop in the mesh and bound to its waypoint
/// shop/waypoint; Services reviews, reviews-v1, reviews-v2 and ratings, which opts out; meshed clients front/web and
/// front/admin; legacy/client outside the mesh), with the example's routes and policies when asked, and a test's own
/// manifests. A test asks the engine for one request's decision.
/// </summary>
internal sealed class WaypointWorld
{
    private static readonly string Example = Path.Combine(TestKit.Cluster.RepositoryRoot, "examples", "waypoint");

    private WaypointWorld(ClusterState cluster)
    {
        Cluster = cluster;
        Plan = GatewayController.Build(cluster);
        Router = WaypointRouter.For(cluster, Plan);
    }

    public ClusterState Cluster { get; }

    public GatewayPlan Plan { get; }

    public WaypointRouter Router { get; }

    /// <summary>apps.yaml and <paramref name="manifests"/> (YAML or AuthorizationPolicy builders).</summary>
    public static WaypointWorld Apps(params object[] manifests) => Of(["apps"], manifests);

    /// <summary>The whole example: apps.yaml, routes.yaml and policies.yaml, and <paramref name="manifests"/>.</summary>
    public static WaypointWorld Whole(params object[] manifests) => Of(["apps", "routes", "policies"], manifests);

    private static WaypointWorld Of(string[] files, object[] manifests) =>
        new(TestKit.Cluster.Valid(string.Join("\n---\n", files.Select(f => File.ReadAllText(Path.Combine(Example, f + ".yaml")))
            .Concat(manifests.Select(m => m switch
            {
                AuthorizationPolicyBuilder a => a.Yaml(),
                string yaml => yaml,
                _ => throw new ArgumentException($"not a manifest: {m}", nameof(manifests)),
            })))));

    public Service Service(string name) => Cluster.ServicesByName[name];

    public WaypointBinding Binding(string service) => Router.Waypoints.BindingOf(Service(service));

    /// <summary>The decision for <paramref name="method"/> <paramref name="path"/> from pod <paramref name="from"/> to <c>shop/SERVICE</c> port 9080.</summary>
    public (WaypointDecision? Decision, string Reason) Request(string from, string method, string path, string service = "shop/reviews", int draw = 0, params (string Name, string Value)[] headers)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        var request = new GatewayRequest
        {
            Host = Service(service).Meta.Name + "." + Service(service).Namespace + ":9080",
            Method = method,
            Path = query < 0 ? path : path[..query],
            Query = query < 0 ? "" : path[(query + 1)..],
            Headers = [.. headers.Select(h => KeyValuePair.Create(h.Name, h.Value))],
        };
        return Router.Decide(Cluster.PodsByName[from], Service(service), 9080, request, draw);
    }

    /// <summary>The decision, which must go through a waypoint.</summary>
    public WaypointDecision Decide(string from, string method, string path, int draw = 0, params (string Name, string Value)[] headers)
    {
        var (decision, reason) = Request(from, method, path, draw: draw, headers: headers);
        return decision ?? throw new InvalidOperationException("no waypoint: " + reason);
    }
}
