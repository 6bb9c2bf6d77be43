namespace Maille.Lab.Mesh;

/// <summary>
/// The node proxy's ports and marks inside a meshed pod's network namespace, Istio ambient's in-pod mode's:
/// 15001 takes the pod's redirected outbound TCP, 15006 inbound plaintext, 15008 HBONE; 15020 serves metrics on the node.
/// </summary>
internal static class MeshPorts
{
    /// <summary>Where the pod's outbound TCP is redirected (on 127.0.0.1).</summary>
    public const int Outbound = 15001;

    /// <summary>Where plaintext TCP to the pod's address is redirected, so PeerAuthentication can be enforced.</summary>
    public const int InboundPlaintext = 15006;

    /// <summary>HBONE: HTTP/2 extended CONNECT over mTLS, served on the pod's address.</summary>
    public const int Hbone = Model.MeshApi.HbonePort;

    /// <summary>Where the node proxy serves its Prometheus metrics, on the node's address (ztunnel's port).</summary>
    public const int Metrics = 15020;

    /// <summary>
    /// The <c>:protocol</c> of the extended CONNECT that opens a tunnel (RFC 8441 syntax; the name of the IETF's
    /// draft-ietf-httpbis-connect-tcp): .NET's HttpClient sends <c>CONNECT</c> over HTTP/2 only in its extended form
    /// (dotnet/runtime#88003), so HBONE here is extended CONNECT, not the plain CONNECT of ztunnel.
    /// </summary>
    public const string TunnelProtocol = "connect-tcp";

    /// <summary>The mark (SO_MARK) of the proxy's own outbound sockets: the capture rules let them through.</summary>
    public const uint BypassMark = 0x539;

    /// <summary>
    /// The mark of the proxy's connections to the pod made from the source's address (IP_TRANSPARENT): kept on the
    /// connection (ct mark) so that the pod's replies are routed back to the proxy's socket, through table
    /// <see cref="ReplyTable"/>, instead of out of the pod.
    /// </summary>
    public const uint TransparentMark = 0x111;

    /// <summary>The routing table, in the pod's namespace, that sends marked replies to the local stack.</summary>
    public const int ReplyTable = 133;
}
