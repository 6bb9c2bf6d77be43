using Maille.Model;

namespace Maille.Engine.Mesh;

/// <summary>
/// A waypoint: a Gateway of class <see cref="MeshApi.WaypointClassName"/>. <see cref="For"/> is its
/// <c>istio.io/waypoint-for</c> label (<c>service</c> by default); <see cref="ServiceAccount"/> is the Gateway's name, as
/// Istio's deployment controller names the waypoint's service account (<c>gateway.istio.io/service-account</c> overrides
/// it); <see cref="Problem"/> says why the Gateway cannot serve as one (no HBONE listener on 15008), else null.
/// </summary>
public sealed record Waypoint(Gateway Gateway, string For, string ServiceAccount, string? Problem)
{
    public string QualifiedName => Gateway.Meta.QualifiedName;

    public string Namespace => Gateway.Namespace;

    /// <summary>The identity the waypoint presents to the destination's node proxy: <c>spiffe://cluster.local/ns/NS/sa/SA</c>.</summary>
    public string Identity => MeshApi.SpiffeId(Namespace, ServiceAccount);

    /// <summary>Whether it takes traffic addressed to a Service: <c>service</c> and <c>all</c> do, <c>workload</c> and <c>none</c> do not.</summary>
    public bool ServesServices => For is "service" or "all";

    /// <summary>The HBONE listener (<c>port: 15008</c>, <c>protocol: HBONE</c>) that makes the Gateway a waypoint, if it has one.</summary>
    public GatewayListener? MeshListener => Gateway.Listeners.FirstOrDefault(l => l.Port == MeshApi.HbonePort && l.Protocol == MeshApi.HboneProtocol);
}
