namespace Maille.Model;

/// <summary>Names of the Gateway API (<c>gateway.networking.k8s.io</c>, standard channel) that Maille reads and writes.</summary>
public static class GatewayApi
{
    public const string Group = "gateway.networking.k8s.io";

    /// <summary>The <c>spec.controllerName</c> of a GatewayClass whose Gateways Maille serves (a contract).</summary>
    public const string ControllerName = "maille.dev/gateway-controller";

    public const string GatewayClassKind = "GatewayClass";

    public const string GatewayKind = "Gateway";

    public const string HttpRouteKind = "HTTPRoute";

    public const string GrpcRouteKind = "GRPCRoute";

    public const string ReferenceGrantKind = "ReferenceGrant";
}
