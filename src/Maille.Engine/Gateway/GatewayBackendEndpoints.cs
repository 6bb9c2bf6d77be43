using System.Collections.Immutable;
using Maille.Engine.Ingresses;
using Maille.Model;

namespace Maille.Engine.Gateways;

/// <summary>
/// Where a Gateway's proxy sends what <see cref="GatewayRouteTable"/> decided: the ready endpoints of a backend
/// (<see cref="GatewayBackend.Service"/> and port), read from the EndpointSlices as the Ingress controller reads them,
/// and how to speak to them. Also the backend of a RequestMirror filter, resolved by the same rules as a backendRef.
/// </summary>
public static class GatewayBackendEndpoints
{
    /// <summary>
    /// The ready endpoints of TCP port <paramref name="port"/> of Service <paramref name="service"/>
    /// (<c>namespace/name</c>) and the protocol to use: HTTP/2 without TLS for a GRPCRoute's backends and for a port
    /// whose <c>appProtocol</c> is <c>kubernetes.io/h2c</c> (the Gateway API's GEP-1911), else HTTP/1.1.
    /// </summary>
    public static (ImmutableArray<IngressEndpoint> Endpoints, BackendProtocol Protocol) Of(ClusterState cluster, string service, int port, bool grpc)
    {
        if (!cluster.ServicesByName.TryGetValue(service, out var found)
            || found.Ports.FirstOrDefault(p => p.Port == port && p.Protocol == Protocol.TCP) is not { } servicePort)
        {
            return ([], BackendProtocol.Http);
        }

        var protocol = grpc ? BackendProtocol.Grpc : servicePort.AppProtocol == MailleIngressController.H2cAppProtocol ? BackendProtocol.H2c : BackendProtocol.Http;
        return (IngressBackendResolver.ReadyEndpoints(cluster, found, servicePort), protocol);
    }

    /// <summary>
    /// The backend of a RequestMirror filter of a route of <paramref name="routeKind"/> in <paramref name="routeNamespace"/>,
    /// resolved as the controller resolves a backendRef (core Service, ReferenceGrant across namespaces, the port).
    /// </summary>
    public static GatewayBackend Mirror(ClusterState cluster, string routeKind, string routeNamespace, GatewayBackendRef backend) =>
        new GatewayBackendResolver(cluster, new ReferenceGrantIndex(cluster.ReferenceGrants)).Resolve(routeKind, routeNamespace, backend);

    /// <summary>A backendRef of an HTTPRoute in <paramref name="routeNamespace"/>, resolved as the controller resolves it.</summary>
    public static GatewayBackend Resolve(ClusterState cluster, string routeNamespace, GatewayBackendRef backend) =>
        Mirror(cluster, GatewayApi.HttpRouteKind, routeNamespace, backend);
}
