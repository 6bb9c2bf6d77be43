namespace Maille.Engine.Ingresses;

/// <summary>How the controller speaks to a backend's endpoints (see <see cref="MailleIngressController.BackendProtocolAnnotation"/>).</summary>
public enum BackendProtocol
{
    /// <summary>HTTP/1.1 without TLS; WebSockets by Upgrade.</summary>
    Http,

    /// <summary>HTTP/2 without TLS, by prior knowledge (h2c).</summary>
    H2c,

    /// <summary>gRPC: HTTP/2 without TLS, as <see cref="H2c"/>.</summary>
    Grpc,
}
