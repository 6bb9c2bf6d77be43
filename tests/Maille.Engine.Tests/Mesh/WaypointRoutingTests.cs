using Maille.Model;

namespace Maille.Engine.Tests.Mesh;

/// <summary>
/// GAMMA at the waypoint: HTTPRoutes attached to a Service (their status), and the route table's decision for a
/// request — header matches, weights, timeouts, precedence, and no matching rule → the Service itself.
/// </summary>
public sealed class WaypointRoutingTests
{
    private static string Route(string name, string ns, string parentRef, string rules = "[{backendRefs: [{name: reviews-v1, port: 9080}]}]") => $"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {"{"}name: {name}, namespace: {ns}{"}"}
        spec: {"{"}parentRefs: [{parentRef}], rules: {rules}{"}"}
        """;

    [Fact]
    public void A_producer_route_is_accepted_for_its_Service_by_the_waypoint_controller()
    {
        var world = WaypointWorld.Whole();

        var parent = Assert.Single(world.Plan.RouteStatusOf(GatewayApi.HttpRouteKind, "shop/reviews")!.Parents);

        Assert.Equal(MeshApi.WaypointControllerName, parent.ControllerName);
        Assert.Equal(("Service", "reviews", 9080), (parent.ParentRef.Kind, parent.ParentRef.Name, parent.ParentRef.Port));
        Assert.Equal(new[] { ("Accepted", true, "Accepted"), ("ResolvedRefs", true, "ResolvedRefs") }, parent.Conditions.Select(c => (c.Type, c.Status, c.Reason)));
    }

    [Theory]
    [InlineData("front", "{group: \"\", kind: Service, name: reviews, namespace: shop}", "UnsupportedValue", "a route in namespace front for Service shop/reviews is a consumer route, which Maille does not support; write it in namespace shop (a producer route)")]
    [InlineData("shop", "{group: \"\", kind: Service, name: nothing}", "NoMatchingParent", "Service shop/nothing not found")]
    [InlineData("shop", "{group: \"\", kind: Service, name: reviews, port: 80}", "NoMatchingParent", "Service shop/reviews has no TCP port 80")]
    [InlineData("shop", "{group: \"\", kind: Service, name: reviews, sectionName: grpc}", "NoMatchingParent", "Service shop/reviews has no TCP port named grpc")]
    public void A_Service_parent_that_cannot_take_the_route_says_why(string ns, string parentRef, string reason, string message)
    {
        var world = WaypointWorld.Apps(Route("r", ns, parentRef, "[{backendRefs: [{name: reviews-v1, namespace: shop, port: 9080}]}]"));

        var accepted = world.Plan.RouteStatusOf(GatewayApi.HttpRouteKind, $"{ns}/r")!.Parents.Single().Conditions[0];

        Assert.Equal((false, reason, message), (accepted.Status, accepted.Reason, accepted.Message));
        Assert.DoesNotContain("shop/reviews", world.Plan.ServiceTables.Keys);
    }

    [Fact]
    public void A_header_match_sends_the_request_to_its_backend()
    {
        var decision = WaypointWorld.Whole().Decide("front/admin", "GET", "/", headers: ("X-Canary", "true"));

        Assert.Equal(("shop/reviews", 0), (decision.Route?.Route, decision.Route?.Rule));
        Assert.Equal("shop/reviews-v2", decision.Backend?.Service);
        Assert.Equal(200, decision.Status);
    }

    [Theory]
    [InlineData(0, "shop/reviews-v1")]
    [InlineData(79, "shop/reviews-v1")]
    [InlineData(80, "shop/reviews-v2")]
    [InlineData(99, "shop/reviews-v2")]
    public void Weights_80_20_split_the_draws_in_that_proportion(int draw, string backend)
    {
        var decision = WaypointWorld.Whole().Decide("front/web", "GET", "/api/items", draw);

        Assert.Equal(1, decision.Route?.Rule);
        Assert.Equal(new[] { ("shop/reviews-v1", 80), ("shop/reviews-v2", 20) }, decision.Backends.Select(b => (b.Service, b.Weight)));
        Assert.Equal(backend, decision.Backend?.Service);
        Assert.Equal(TimeSpan.FromSeconds(5), decision.Route?.RequestTimeout);
    }

    [Fact]
    public void A_request_no_rule_matches_goes_to_the_Service_itself()
    {
        var decision = WaypointWorld.Whole().Decide("front/admin", "GET", "/reviews/1");

        Assert.Null(decision.Route);
        Assert.Equal("shop/reviews", Assert.Single(decision.Backends).Service);
        Assert.Equal(200, decision.Status);
        Assert.StartsWith("no rule of the routes attached to the Service matches: to the Service itself", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_longest_PathPrefix_wins_as_at_a_Gateway()
    {
        var world = WaypointWorld.Whole(Route("deep", "shop", "{group: \"\", kind: Service, name: reviews}", "[{matches: [{path: {type: PathPrefix, value: /api/v2}}], backendRefs: [{name: reviews-v2, port: 9080}]}]"));

        Assert.Equal("shop/deep", world.Decide("front/admin", "GET", "/api/v2/items").Route?.Route);
        Assert.Equal("shop/reviews", world.Decide("front/admin", "GET", "/api/v1/items").Route?.Route);
    }

    [Fact]
    public void A_backend_without_ready_endpoints_answers_503_and_an_unknown_one_500()
    {
        var world = WaypointWorld.Apps(
            Route("r", "shop", "{group: \"\", kind: Service, name: reviews}", "[{matches: [{path: {type: Exact, value: /empty}}], backendRefs: [{name: ratings-none, port: 9080}]}, {matches: [{path: {type: Exact, value: /gone}}], backendRefs: [{name: gone, port: 9080}]}]"),
            """
            apiVersion: v1
            kind: Service
            metadata: {name: ratings-none, namespace: shop}
            spec: {selector: {app: nobody}, ports: [{port: 9080}]}
            """);

        Assert.Equal(503, world.Decide("front/web", "GET", "/empty").Status);
        Assert.Equal(500, world.Decide("front/web", "GET", "/gone").Status);
    }

    [Fact]
    public void The_waypoint_connects_to_the_endpoint_with_its_own_identity_which_the_node_proxy_judges()
    {
        var decision = WaypointWorld.Whole().Decide("front/web", "GET", "/api/items");

        Assert.Equal("shop/reviews-v1", decision.Endpoint?.Pod);
        Assert.Equal("spiffe://cluster.local/ns/shop/sa/waypoint", decision.Hop?.SourceIdentity);
        Assert.Equal(Engine.Mesh.MeshOutcome.AllowedByPolicy, decision.Hop?.Outcome);
        Assert.Equal("shop/reviews-via-waypoint", decision.Hop?.DecidedBy?.Policy);
    }

    [Fact]
    public void A_node_proxy_that_refuses_the_waypoint_identity_makes_the_waypoint_answer_503()
    {
        var world = WaypointWorld.Apps(Engine.Tests.Mesh.WaypointAuthorizationTests.OnlyWebAtTheNodeProxy);

        var decision = world.Decide("front/web", "GET", "/");

        Assert.Equal(503, decision.Status);
        Assert.Equal(Engine.Mesh.MeshOutcome.NoAllowRuleMatched, decision.Hop?.Outcome);
        Assert.Contains("refuses the waypoint's connection", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_client_outside_the_mesh_and_a_Service_without_waypoint_do_not_go_through_it()
    {
        var world = WaypointWorld.Whole();

        var (outside, why) = world.Request("legacy/client", "GET", "/");
        var (ratings, ratingsWhy) = world.Request("front/web", "GET", "/", service: "shop/ratings");

        Assert.Null(outside);
        Assert.Equal("legacy/client is not in the mesh: no node proxy sends its request to waypoint shop/waypoint", why);
        Assert.Null(ratings);
        Assert.Contains("opts it out", ratingsWhy, StringComparison.Ordinal);
    }
}
