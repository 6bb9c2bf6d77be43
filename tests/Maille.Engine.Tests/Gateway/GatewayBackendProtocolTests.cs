using Maille.Engine.Gateways;
using Maille.Engine.Ingresses;
using Maille.TestKit;

namespace Maille.Engine.Tests.Gateway;

/// <summary>
/// How a Gateway's proxy speaks to a backend (GEP-1911): HTTP/2 without TLS (h2c) for a GRPCRoute's backends and for a
/// Service port with <c>appProtocol: kubernetes.io/h2c</c>, else HTTP/1.1.
/// </summary>
public sealed class GatewayBackendProtocolTests
{
    private static readonly ClusterState Cluster = new GatewayWorld()
        .Namespace("app")
        .Add("apiVersion: v1\nkind: Service\nmetadata: {name: echo, namespace: app}\nspec: {selector: {app: echo}, ports: [{name: h2c, port: 8080, appProtocol: kubernetes.io/h2c}, {name: http, port: 8081}]}")
        .Cluster();

    [Fact]
    public void An_HTTPRoute_backend_whose_Service_port_says_appProtocol_h2c_is_reached_with_HTTP_2() =>
        Assert.Equal(BackendProtocol.H2c, GatewayBackendEndpoints.Of(Cluster, "app/echo", 8080, grpc: false).Protocol);

    [Fact]
    public void An_HTTPRoute_backend_whose_Service_port_has_no_appProtocol_is_reached_with_HTTP_1_1() =>
        Assert.Equal(BackendProtocol.Http, GatewayBackendEndpoints.Of(Cluster, "app/echo", 8081, grpc: false).Protocol);

    [Fact]
    public void A_GRPCRoute_backend_is_reached_with_HTTP_2_whatever_its_Service_port_says() =>
        Assert.Equal(BackendProtocol.Grpc, GatewayBackendEndpoints.Of(Cluster, "app/echo", 8081, grpc: true).Protocol);
}
