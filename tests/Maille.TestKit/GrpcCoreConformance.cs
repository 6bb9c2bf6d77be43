using static Maille.TestKit.ConformanceRequests;
using static Maille.TestKit.GatewayWorld;

namespace Maille.TestKit;

/// <summary>
/// The GRPCRoute core conformance tests (conformance/tests/grpcroute-*.go) as <see cref="ConformanceCase"/>s, on the
/// suite's base plus the gRPC backends grpc-infra-backend-v1..v3. A call that no rule takes is answered 404, which a
/// gRPC client reports as Unimplemented, the code the suite expects. Maille.Engine.Tests' GrpcCoreConformanceTests plan
/// them; Maille.Lab.Tests' GatewayGrpcConformanceTests send them through the Gateway proxy to HTTP/2 backends on loopback.
/// </summary>
public static class GrpcCoreConformance
{
    public const string Echo = "gateway_api_conformance.echo_basic.grpcecho.GrpcEcho";

    private const string V1 = "grpc-infra-backend-v1";
    private const string V2 = "grpc-infra-backend-v2";
    private const string V3 = "grpc-infra-backend-v3";

    public static ConformanceCase GRPCExactMethodMatching { get; } = new ConformanceCase(nameof(GRPCExactMethodMatching), w => Backends(w)
            .Route(Route.Grpc("exact-matching").Parent("same-namespace")
                .Rule(RouteRule.New().Grpc(Echo, "Echo").To(V1))
                .Rule(RouteRule.New().Grpc(Echo, "EchoTwo").To(V2))))
        .Expect(Grpc($"{Echo}/Echo"), V1)
        .Expect(Grpc($"{Echo}/EchoTwo"), V2)
        .Expect(Grpc($"{Echo}/EchoThree"), "404");

    public static ConformanceCase GRPCRouteHeaderMatching { get; } = new ConformanceCase(nameof(GRPCRouteHeaderMatching), w => Backends(w)
            .Route(Route.Grpc("grpc-header-matching").Parent("same-namespace")
                .Rule(RouteRule.New().Grpc(headers: [("version", "one")]).To(V1))
                .Rule(RouteRule.New().Grpc(headers: [("version", "two")]).To(V2))
                .Rule(RouteRule.New().Grpc(headers: [("version", "two"), ("color", "orange")]).To(V1))
                .Rule(RouteRule.New().Grpc(headers: [("color", "blue")]).Grpc(headers: [("color", "green")]).To(V1))
                .Rule(RouteRule.New().Grpc(headers: [("color", "red")]).Grpc(headers: [("color", "yellow")]).To(V2))))
        .Expect(Call(("Version", "one")), V1)
        .Expect(Call(("Version", "two")), V2)
        .Expect(Call(("Version", "two"), ("Color", "orange")), V1)
        .Expect(Call(("Version", "two"), ("Color", "blue")), V2)
        .Expect(Call(("Color", "orange")), "404")
        .Expect(Call(("Some-Other-Header", "one")), "404")
        .Expect(Call(("Color", "blue")), V1)
        .Expect(Call(("Color", "green")), V1)
        .Expect(Call(("Color", "red")), V2)
        .Expect(Call(("Color", "yellow")), V2)
        .Expect(Call(("Color", "purple")), "404");

    public static ConformanceCase GRPCRouteListenerHostnameMatching { get; } = new ConformanceCase(nameof(GRPCRouteListenerHostnameMatching), w => Backends(w)
            .ListenerHostnameGateway("grpcroute-listener-hostname-matching")
            .Route(Route.Grpc("backend-v1").Parent("grpcroute-listener-hostname-matching", Infra, "listener-1").Rule(RouteRule.New().To(V1)))
            .Route(Route.Grpc("backend-v2").Parent("grpcroute-listener-hostname-matching", Infra, "listener-2").Rule(RouteRule.New().To(V2)))
            .Route(Route.Grpc("backend-v3").Parent("grpcroute-listener-hostname-matching", Infra, "listener-3")
                .Parent("grpcroute-listener-hostname-matching", Infra, "listener-4").Rule(RouteRule.New().To(V3))))
        .On("grpcroute-listener-hostname-matching")
        .Expect(Grpc($"{Echo}/Echo", "bar.com"), V1)
        .Expect(Grpc($"{Echo}/Echo", "foo.bar.com"), V2)
        .Expect(Grpc($"{Echo}/Echo", "baz.bar.com"), V3)
        .Expect(Grpc($"{Echo}/Echo", "boo.bar.com"), V3)
        .Expect(Grpc($"{Echo}/Echo", "multiple.prefixes.bar.com"), V3)
        .Expect(Grpc($"{Echo}/Echo", "multiple.prefixes.foo.com"), V3)
        .Expect(Grpc($"{Echo}/Echo", "foo.com"), "404")
        .Expect(Grpc($"{Echo}/Echo", "no.matching.host"), "404");

    public static ConformanceCase GRPCRouteWeight { get; } = new ConformanceCase(nameof(GRPCRouteWeight), w => Backends(w)
            .Route(Route.Grpc("weighted-backends").Parent("same-namespace")
                .Rule(RouteRule.New().To(V1, weight: 70).To(V2, weight: 30).To(V3, weight: 0))))
        .ExpectWeights(Grpc($"{Echo}/Echo"), (V1, 70), (V2, 30), (V3, 0));

    public static IReadOnlyList<ConformanceCase> All { get; } = [GRPCExactMethodMatching, GRPCRouteHeaderMatching, GRPCRouteListenerHostnameMatching, GRPCRouteWeight];

    public static ConformanceCase Named(string name) => All.Single(c => c.Name == name);

    private static GatewayWorld Backends(GatewayWorld world) => world.Backend(Infra, V1).Backend(Infra, V2).Backend(Infra, V3);

    private static Maille.Engine.Gateways.GatewayRequest Call(params (string, string)[] metadata) => Grpc($"{Echo}/Echo", "example.com", metadata);
}
