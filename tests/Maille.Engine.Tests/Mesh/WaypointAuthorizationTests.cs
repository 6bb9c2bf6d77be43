using Maille.Engine.Mesh;
using Maille.TestKit;
using static Maille.TestKit.AuthorizationPolicyBuilder;

namespace Maille.Engine.Tests.Mesh;

/// <summary>
/// AuthorizationPolicy at the waypoint: targetRefs to the waypoint Gateway or to the Service, HTTP attributes with
/// Istio's matching, DENY before ALLOW, no ALLOW policy → allowed, and such policies never reach the node proxy.
/// </summary>
public sealed class WaypointAuthorizationTests
{
    /// <summary>An L4 policy at the reviews pods' node proxies that admits front/web only: the waypoint's own identity is refused.</summary>
    internal static readonly AuthorizationPolicyBuilder OnlyWebAtTheNodeProxy =
        Allow("shop", "only-web").Selecting(("app", "reviews")).Rule(from: [Source("principals", "cluster.local/ns/front/sa/web")]);

    [Theory]
    [InlineData("front/web", "GET", "/api/items", 200, MeshOutcome.AllowedByPolicy, "shop/reviews-viewers", 0)]
    [InlineData("front/web", "GET", "/health", 200, MeshOutcome.AllowedByPolicy, "shop/reviews-viewers", 0)]
    [InlineData("front/web", "POST", "/api/items", 403, MeshOutcome.NoAllowRuleMatched, null, null)]
    [InlineData("front/web", "GET", "/api", 403, MeshOutcome.NoAllowRuleMatched, null, null)] // "/api/*" is the prefix "/api/"
    [InlineData("front/web", "GET", "/healthz", 403, MeshOutcome.NoAllowRuleMatched, null, null)] // "/health" is exact
    [InlineData("front/admin", "DELETE", "/reviews/1", 200, MeshOutcome.AllowedByPolicy, "shop/reviews-viewers", 1)]
    [InlineData("front/admin", "GET", "/internal/stats", 403, MeshOutcome.DeniedByPolicy, "shop/no-internal", 0)] // DENY before ALLOW
    [InlineData("front/web", "GET", "/internal/x", 403, MeshOutcome.DeniedByPolicy, "shop/no-internal", 0)]
    public void The_example_policies_decide_each_request_in_Istios_order(string from, string method, string path, int status, MeshOutcome outcome, string? policy, int? rule)
    {
        var decision = WaypointWorld.Whole().Decide(from, method, path);

        Assert.Equal(outcome, decision.Authorization.Outcome);
        Assert.Equal((policy, rule), (decision.Authorization.DecidedBy?.Policy, decision.Authorization.DecidedBy?.Rule));
        Assert.Equal(status, decision.Status);
        Assert.Equal(new[] { "shop/no-internal", "shop/reviews-viewers" }, decision.Authorization.Policies.AsEnumerable());
    }

    [Fact]
    public void Without_an_ALLOW_policy_a_request_is_allowed_and_a_denied_one_is_never_routed()
    {
        var world = WaypointWorld.Apps(Deny("shop", "no-post").Targeting("Service", "reviews").Rule(to: [Operation("methods", "POST")]));

        var get = world.Decide("front/web", "GET", "/");
        var post = world.Decide("front/web", "POST", "/");

        Assert.Equal((MeshOutcome.NoAllowPolicy, 200), (get.Authorization.Outcome, get.Status));
        Assert.Equal((MeshOutcome.DeniedByPolicy, 403), (post.Authorization.Outcome, post.Status));
        Assert.Empty(post.Backends);
        Assert.Null(post.Hop);
    }

    [Theory]
    [InlineData("paths", "*.json", "/reviews/1.json", true)] // suffix
    [InlineData("paths", "*.json", "/reviews/1.xml", false)]
    [InlineData("paths", "*", "/anything", true)] // presence
    [InlineData("paths", "/reviews/1", "/reviews/1", true)] // exact
    [InlineData("paths", "/reviews/1", "/reviews/12", false)]
    [InlineData("paths", "/reviews/*", "/reviews/1", true)] // prefix
    [InlineData("notPaths", "/reviews/*", "/reviews/1", false)]
    [InlineData("notPaths", "/reviews/*", "/ratings", true)]
    [InlineData("methods", "GET", "GET", true)]
    [InlineData("methods", "GET", "get", false)] // methods are exact
    [InlineData("notMethods", "DELETE", "GET", true)]
    [InlineData("notMethods", "DELETE", "DELETE", false)]
    [InlineData("hosts", "reviews.shop", "reviews.shop:9080", true)] // with or without the port
    [InlineData("hosts", "REVIEWS.shop:9080", "reviews.shop:9080", true)] // without case
    [InlineData("hosts", "*.shop.svc.cluster.local", "reviews.shop:9080", false)]
    [InlineData("notHosts", "reviews.*", "reviews.shop:9080", false)]
    public void Each_HTTP_attribute_and_its_not_form_matches_as_Istio_matches_it(string field, string value, string actual, bool allowed)
    {
        var world = WaypointWorld.Apps(Allow("shop", "p").Targeting("Service", "reviews").Rule(to: [Operation(field, value)]));
        var (method, path) = field.Contains("ethods", StringComparison.Ordinal) ? (actual, "/") : field.Contains("aths", StringComparison.Ordinal) ? ("GET", actual) : ("GET", "/");
        var host = field.Contains("osts", StringComparison.Ordinal) ? actual : "reviews.shop:9080";

        var decision = world.Router.Mesh.AuthorizeAtWaypoint(world.Router.Waypoints.Find("shop/waypoint")!, world.Service("shop/reviews"),
            new Model.WorkloadIdentity("front", "web"), null, 9080, method, path, host);

        Assert.Equal(allowed, decision.Allowed);
    }

    [Fact]
    public void Sources_and_ports_match_as_at_the_node_proxy_with_the_Service_port()
    {
        var world = WaypointWorld.Apps(Allow("shop", "p").Targeting("Service", "reviews")
            .Rule(from: [Source(("namespaces", new[] { "front" }), ("notPrincipals", new[] { "cluster.local/ns/front/sa/admin" }))], to: [Operation(("ports", new[] { "9080" }), ("methods", new[] { "GET" }))]));

        Assert.Equal(200, world.Decide("front/web", "GET", "/").Status);
        Assert.Equal(403, world.Decide("front/admin", "GET", "/").Status);
    }

    [Fact]
    public void A_policy_attached_to_another_Service_or_waypoint_does_not_apply()
    {
        var world = WaypointWorld.Apps(
            Deny("shop", "ratings-only").Targeting("Service", "ratings").Rule(),
            Deny("shop", "other-waypoint").Targeting("Gateway", "other").Rule(),
            Deny("front", "wrong-namespace").Targeting("Service", "reviews").Rule());

        var decision = world.Decide("front/web", "GET", "/");

        Assert.Equal(MeshOutcome.NoAllowPolicy, decision.Authorization.Outcome);
        Assert.Empty(decision.Authorization.Policies);
    }

    [Fact]
    public void A_policy_with_targetRefs_is_the_waypoints_and_never_the_node_proxys()
    {
        var world = WaypointWorld.Whole();

        var policies = world.Router.Mesh.PoliciesFor(world.Cluster.PodsByName["shop/reviews-v1"]);

        Assert.Equal(["shop/reviews-via-waypoint"], policies.Select(p => p.QualifiedName));
    }
}
