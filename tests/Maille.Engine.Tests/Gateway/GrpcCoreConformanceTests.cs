using Maille.TestKit;
using static Maille.Engine.Tests.Gateway.ConformanceRequests;
using static Maille.TestKit.GatewayWorld;

namespace Maille.Engine.Tests.Gateway;

/// <summary>
/// The GRPCRoute core conformance tests (conformance/tests/grpcroute-*.go) on the engine. A call that no rule takes is
/// answered 404, which a gRPC client reports as Unimplemented, the code the suite expects.
/// </summary>
public sealed class GrpcCoreConformanceTests
{
    private const string Echo = "gateway_api_conformance.echo_basic.grpcecho.GrpcEcho";

    private static GatewayWorld World() => Conformance()
        .Backend(Infra, "grpc-infra-backend-v1").Backend(Infra, "grpc-infra-backend-v2").Backend(Infra, "grpc-infra-backend-v3");

    [Fact]
    public void GRPCExactMethodMatching()
    {
        var table = World().Route(Route.Grpc("exact-matching").Parent("same-namespace")
            .Rule(RouteRule.New().Grpc(Echo, "Echo").To("grpc-infra-backend-v1"))
            .Rule(RouteRule.New().Grpc(Echo, "EchoTwo").To("grpc-infra-backend-v2"))).Table();
        Assert.Equal("grpc-infra-backend-v1", table.Outcome(Grpc($"{Echo}/Echo")));
        Assert.Equal("grpc-infra-backend-v2", table.Outcome(Grpc($"{Echo}/EchoTwo")));
        Assert.Equal("404", table.Outcome(Grpc($"{Echo}/EchoThree")));
    }

    [Fact]
    public void GRPCRouteHeaderMatching()
    {
        var table = World().Route(Route.Grpc("grpc-header-matching").Parent("same-namespace")
            .Rule(RouteRule.New().Grpc(headers: [("version", "one")]).To("grpc-infra-backend-v1"))
            .Rule(RouteRule.New().Grpc(headers: [("version", "two")]).To("grpc-infra-backend-v2"))
            .Rule(RouteRule.New().Grpc(headers: [("version", "two"), ("color", "orange")]).To("grpc-infra-backend-v1"))
            .Rule(RouteRule.New().Grpc(headers: [("color", "blue")]).Grpc(headers: [("color", "green")]).To("grpc-infra-backend-v1"))
            .Rule(RouteRule.New().Grpc(headers: [("color", "red")]).Grpc(headers: [("color", "yellow")]).To("grpc-infra-backend-v2"))).Table();
        string Call(params (string, string)[] metadata) => table.Outcome(Grpc($"{Echo}/Echo", "example.com", metadata));
        Assert.Equal("grpc-infra-backend-v1", Call(("Version", "one")));
        Assert.Equal("grpc-infra-backend-v2", Call(("Version", "two")));
        Assert.Equal("grpc-infra-backend-v1", Call(("Version", "two"), ("Color", "orange")));
        Assert.Equal("grpc-infra-backend-v2", Call(("Version", "two"), ("Color", "blue")));
        Assert.Equal("404", Call(("Color", "orange")));
        Assert.Equal("404", Call(("Some-Other-Header", "one")));
        Assert.Equal("grpc-infra-backend-v1", Call(("Color", "blue")));
        Assert.Equal("grpc-infra-backend-v1", Call(("Color", "green")));
        Assert.Equal("grpc-infra-backend-v2", Call(("Color", "red")));
        Assert.Equal("grpc-infra-backend-v2", Call(("Color", "yellow")));
        Assert.Equal("404", Call(("Color", "purple")));
    }

    [Fact]
    public void GRPCRouteListenerHostnameMatching()
    {
        const string Gw = "grpcroute-listener-hostname-matching";
        var table = World()
            .Gateway(Infra, Gw,
                Listener.Http("listener-1", 80).For("bar.com"),
                Listener.Http("listener-2", 80).For("foo.bar.com"),
                Listener.Http("listener-3", 80).For("*.bar.com"),
                Listener.Http("listener-4", 80).For("*.foo.com"))
            .Route(Route.Grpc("backend-v1").Parent(Gw, Infra, "listener-1").Rule(RouteRule.New().To("grpc-infra-backend-v1")))
            .Route(Route.Grpc("backend-v2").Parent(Gw, Infra, "listener-2").Rule(RouteRule.New().To("grpc-infra-backend-v2")))
            .Route(Route.Grpc("backend-v3").Parent(Gw, Infra, "listener-3").Parent(Gw, Infra, "listener-4").Rule(RouteRule.New().To("grpc-infra-backend-v3")))
            .Table(Infra, Gw);
        Assert.Equal("grpc-infra-backend-v1", table.Outcome(Grpc($"{Echo}/Echo", "bar.com")));
        Assert.Equal("grpc-infra-backend-v2", table.Outcome(Grpc($"{Echo}/Echo", "foo.bar.com")));
        Assert.Equal("grpc-infra-backend-v3", table.Outcome(Grpc($"{Echo}/Echo", "baz.bar.com")));
        Assert.Equal("grpc-infra-backend-v3", table.Outcome(Grpc($"{Echo}/Echo", "boo.bar.com")));
        Assert.Equal("grpc-infra-backend-v3", table.Outcome(Grpc($"{Echo}/Echo", "multiple.prefixes.bar.com")));
        Assert.Equal("grpc-infra-backend-v3", table.Outcome(Grpc($"{Echo}/Echo", "multiple.prefixes.foo.com")));
        Assert.Equal("404", table.Outcome(Grpc($"{Echo}/Echo", "foo.com")));
        Assert.Equal("404", table.Outcome(Grpc($"{Echo}/Echo", "no.matching.host")));
    }

    [Fact]
    public void GRPCRouteWeight()
    {
        var table = World().Route(Route.Grpc("weighted-backends").Parent("same-namespace")
            .Rule(RouteRule.New().To("grpc-infra-backend-v1", weight: 70).To("grpc-infra-backend-v2", weight: 30).To("grpc-infra-backend-v3", weight: 0))).Table();
        var counts = Enumerable.Range(0, 100).Select(draw => table.Outcome(Grpc($"{Echo}/Echo"), draw)).GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(70, counts["grpc-infra-backend-v1"]);
        Assert.Equal(30, counts["grpc-infra-backend-v2"]);
        Assert.False(counts.ContainsKey("grpc-infra-backend-v3"));
    }

    [Fact]
    public void A_plain_HTTP_request_does_not_take_a_GRPCRoute()
    {
        var table = World().Route(Route.Grpc("exact-matching").Parent("same-namespace").Rule(RouteRule.New().Grpc(Echo, "Echo").To("grpc-infra-backend-v1"))).Table();
        Assert.Equal("404", table.Outcome($"/{Echo}/Echo"));
    }
}
