using Maille.TestKit;
using static Maille.TestKit.ConformanceRequests;

namespace Maille.Engine.Tests.Gateway;

/// <summary>
/// The GRPCRoute core conformance tests (conformance/tests/grpcroute-*.go) on the engine: each is a case of
/// <see cref="GrpcCoreConformance"/>, shared with the Gateway proxy's loopback tests (GatewayGrpcConformanceTests).
/// </summary>
public sealed class GrpcCoreConformanceTests
{
    [Fact]
    public void GRPCExactMethodMatching() => EngineConformance.Check(GrpcCoreConformance.GRPCExactMethodMatching);

    [Fact]
    public void GRPCRouteHeaderMatching() => EngineConformance.Check(GrpcCoreConformance.GRPCRouteHeaderMatching);

    [Fact]
    public void GRPCRouteListenerHostnameMatching() => EngineConformance.Check(GrpcCoreConformance.GRPCRouteListenerHostnameMatching);

    [Fact]
    public void GRPCRouteWeight() => EngineConformance.Check(GrpcCoreConformance.GRPCRouteWeight);

    [Fact]
    public void A_plain_HTTP_request_does_not_take_a_GRPCRoute()
    {
        var table = GrpcCoreConformance.GRPCExactMethodMatching.World().Table();
        Assert.Equal("404", table.Outcome($"/{GrpcCoreConformance.Echo}/Echo"));
    }
}
