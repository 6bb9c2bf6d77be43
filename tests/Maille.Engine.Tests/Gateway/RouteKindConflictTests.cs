using Maille.Engine.Gateways;
using Maille.TestKit;
using static Maille.TestKit.ConformanceRequests;
using static Maille.TestKit.GatewayWorld;

namespace Maille.Engine.Tests.Gateway;

/// <summary>
/// GRPCRoute's <c>hostnames</c> rule: when an HTTPRoute and a GRPCRoute attach to the same listener and their hostnames
/// there intersect, the listener accepts exactly one, the oldest by creation timestamp, then the first by
/// <c>namespace/name</c>; the other's parent status is Accepted False. Routes whose hostnames do not meet share a
/// listener freely. Every route attaches to the conformance Gateway same-namespace (one HTTP listener, any host).
/// </summary>
public sealed class RouteKindConflictTests
{
    private const string Echo = "gateway_api_conformance.echo_basic.grpcecho.GrpcEcho";

    private static GatewayWorld World() => Conformance().Backend(Infra, "grpc-infra-backend-v1");

    private static GatewayCondition Accepted(GatewayPlan plan, string kind, string name) =>
        plan.RouteStatusOf(kind, $"{Infra}/{name}")!.Parents.Single().Conditions.Single(c => c.Type == "Accepted");

    [Fact]
    public void The_older_GRPCRoute_keeps_the_listener_and_the_younger_HTTPRoute_is_not_accepted()
    {
        var plan = World()
            .Route(Route.Http("web").Parent("same-namespace").Hostnames("api.example.com").Created("2026-03-02T00:00:00Z").Rule(RouteRule.Prefix("/").To("infra-backend-v1")))
            .Route(Route.Grpc("rpc").Parent("same-namespace").Hostnames("*.example.com").Created("2026-03-01T00:00:00Z").Rule(RouteRule.New().To("grpc-infra-backend-v1")))
            .Plan();

        Assert.True(Accepted(plan, "GRPCRoute", "rpc").Status);
        var refused = Accepted(plan, "HTTPRoute", "web");
        Assert.Equal((false, "Conflicted"), (refused.Status, refused.Reason));
        Assert.Contains($"GRPCRoute {Infra}/rpc", refused.Message, StringComparison.Ordinal);
        var table = plan.Tables[$"{Infra}/same-namespace"];
        Assert.Equal("grpc-infra-backend-v1", table.Outcome(Grpc($"{Echo}/Echo", "api.example.com")));
        Assert.Equal("404", table.Outcome("/", "api.example.com"));
    }

    [Fact]
    public void The_older_HTTPRoute_keeps_the_listener_and_the_younger_GRPCRoute_is_not_accepted()
    {
        var plan = World()
            .Route(Route.Http("web").Parent("same-namespace").Created("2026-03-01T00:00:00Z").Rule(RouteRule.Prefix("/").To("infra-backend-v1")))
            .Route(Route.Grpc("rpc").Parent("same-namespace").Hostnames("rpc.example.com").Created("2026-03-02T00:00:00Z").Rule(RouteRule.New().To("grpc-infra-backend-v1")))
            .Plan();

        Assert.True(Accepted(plan, "HTTPRoute", "web").Status);
        Assert.Equal("Conflicted", Accepted(plan, "GRPCRoute", "rpc").Reason);
        // The call is an HTTP/2 POST that the HTTPRoute's prefix / takes.
        Assert.Equal("infra-backend-v1", plan.Tables[$"{Infra}/same-namespace"].Outcome(Grpc($"{Echo}/Echo", "rpc.example.com")));
    }

    [Fact]
    public void Between_routes_of_the_same_age_the_first_by_namespace_and_name_is_accepted()
    {
        var plan = World()
            .Route(Route.Http("b-web").Parent("same-namespace").Created("2026-03-01T00:00:00Z").Rule(RouteRule.Prefix("/").To("infra-backend-v1")))
            .Route(Route.Grpc("a-rpc").Parent("same-namespace").Created("2026-03-01T00:00:00Z").Rule(RouteRule.New().To("grpc-infra-backend-v1")))
            .Plan();

        Assert.True(Accepted(plan, "GRPCRoute", "a-rpc").Status);
        Assert.Equal("Conflicted", Accepted(plan, "HTTPRoute", "b-web").Reason);
    }

    [Fact]
    public void Routes_whose_hostnames_do_not_intersect_share_the_listener()
    {
        var plan = World()
            .Route(Route.Http("web").Parent("same-namespace").Hostnames("www.example.com").Created("2026-03-02T00:00:00Z").Rule(RouteRule.Prefix("/").To("infra-backend-v1")))
            .Route(Route.Grpc("rpc").Parent("same-namespace").Hostnames("rpc.example.com").Created("2026-03-01T00:00:00Z").Rule(RouteRule.New().To("grpc-infra-backend-v1")))
            .Plan();

        Assert.True(Accepted(plan, "HTTPRoute", "web").Status);
        Assert.True(Accepted(plan, "GRPCRoute", "rpc").Status);
        var table = plan.Tables[$"{Infra}/same-namespace"];
        Assert.Equal("infra-backend-v1", table.Outcome("/", "www.example.com"));
        Assert.Equal("grpc-infra-backend-v1", table.Outcome(Grpc($"{Echo}/Echo", "rpc.example.com")));
    }

    [Fact]
    public void Routes_of_the_same_kind_never_conflict()
    {
        var plan = World()
            .Route(Route.Http("one").Parent("same-namespace").Created("2026-03-01T00:00:00Z").Rule(RouteRule.Prefix("/one").To("infra-backend-v1")))
            .Route(Route.Http("two").Parent("same-namespace").Created("2026-03-02T00:00:00Z").Rule(RouteRule.Prefix("/two").To("infra-backend-v2")))
            .Plan();

        Assert.True(Accepted(plan, "HTTPRoute", "one").Status);
        Assert.True(Accepted(plan, "HTTPRoute", "two").Status);
    }

    [Fact]
    public void A_route_that_loses_one_listener_is_still_accepted_where_it_attaches_without_conflict()
    {
        const string Gw = "two-listeners";
        var plan = World()
            .Gateway(Infra, Gw, Listener.Http("shared", 80), Listener.Http("own", 8080))
            .Route(Route.Grpc("rpc").Parent(Gw, Infra, "shared").Created("2026-03-01T00:00:00Z").Rule(RouteRule.New().To("grpc-infra-backend-v1")))
            .Route(Route.Http("web").Parent(Gw, Infra).Created("2026-03-02T00:00:00Z").Rule(RouteRule.Prefix("/").To("infra-backend-v1")))
            .Plan();

        Assert.True(Accepted(plan, "HTTPRoute", "web").Status);
        var table = plan.Tables[$"{Infra}/{Gw}"];
        Assert.Equal("infra-backend-v1", table.Outcome(Get("/", "example.com") with { Port = 8080 }));
        Assert.Equal("404", table.Outcome(Get("/", "example.com") with { Port = 80 }));
    }
}
