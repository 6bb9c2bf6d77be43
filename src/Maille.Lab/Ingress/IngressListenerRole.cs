namespace Maille.Lab.Ingresses;

/// <summary>What a listening socket of the Ingress proxy serves.</summary>
public enum IngressListenerRole
{
    /// <summary>Plain HTTP (port 80): HTTP/1.1, and HTTP/2 by prior knowledge (h2c).</summary>
    Http,

    /// <summary>TLS (port 443): certificate by SNI from <c>spec.tls</c>, HTTP/1.1 or HTTP/2 by ALPN.</summary>
    Https,

    /// <summary>The controller's own endpoints: <c>/metrics</c> (Prometheus text) and <c>/healthz</c>.</summary>
    Metrics,

    /// <summary>A port of a Gateway's proxy pod whose listeners speak HTTP: HTTP/1.1, and h2c by prior knowledge.</summary>
    GatewayHttp,

    /// <summary>A port of a Gateway's proxy pod with an HTTPS listener: certificate by SNI from the listener's certificateRefs.</summary>
    GatewayHttps,
}
