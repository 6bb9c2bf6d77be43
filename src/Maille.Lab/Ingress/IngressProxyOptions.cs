using System.Net;
using Maille.Lab.Workloads;

namespace Maille.Lab.Ingresses;

/// <summary>
/// Settings of the Ingress proxy. Listening sockets come two ways: handed over at run time with
/// <see cref="IngressProxy.AddListener"/> (the lab opens them inside the controller pods' network namespaces), or
/// bound at start from the address lists here (tests, a proxy outside the lab).
/// </summary>
public sealed class IngressProxyOptions
{
    /// <summary>Plain HTTP addresses to bind at start (port 0 picks a free port; see <see cref="IngressProxy.BoundEndPoints"/>).</summary>
    public IList<IPEndPoint> HttpEndPoints { get; } = [];

    /// <summary>TLS addresses to bind at start.</summary>
    public IList<IPEndPoint> HttpsEndPoints { get; } = [];

    /// <summary>Addresses of <c>/metrics</c> and <c>/healthz</c> to bind at start.</summary>
    public IList<IPEndPoint> MetricsEndPoints { get; } = [];

    /// <summary>Open client connections; beyond it Kestrel closes new ones at once.</summary>
    public long? MaxConcurrentConnections { get; set; } = 100_000;

    /// <summary>How long an idle client keep-alive connection stays open (nginx's default).</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(75);

    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest request body forwarded; null for no limit (bodies are streamed, not buffered).</summary>
    public long? MaxRequestBodySize { get; set; }

    /// <summary>How long a connection to one endpoint may take before the next endpoint is tried.</summary>
    public TimeSpan UpstreamConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long an idle pooled connection to an endpoint is kept for reuse.</summary>
    public TimeSpan UpstreamIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the proxy waits for any progress (response headers, body bytes) from an endpoint.</summary>
    public TimeSpan UpstreamActivityTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Endpoints tried for one request when connections fail; at most the number of ready endpoints.</summary>
    public int MaxConnectAttempts { get; set; } = 3;

    /// <summary>Write one access-log line per request (category <see cref="IngressProxy.AccessLogCategory"/>).</summary>
    public bool AccessLog { get; set; } = true;

    /// <summary>How long access-log lines gather before they go to the logger as one entry (see <see cref="IngressAccessLog"/>).</summary>
    public TimeSpan AccessLogFlushInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Access-log lines waiting for the logger at most; beyond, lines are dropped and counted.</summary>
    public int AccessLogBufferLines { get; set; } = 16_384;

    public TimeSpan TlsHandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long <see cref="IngressProxy.DisposeAsync"/> lets open requests finish before aborting them.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Settings of the sockets handed over at run time (accept queue, read buffer, accept retry).</summary>
    public PodServerOptions Transport { get; set; } = new() { AcceptQueueCapacity = 1024, MaxReadBufferSize = 1024 * 1024 };

    /// <summary>Every problem with these settings, empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(Transport.Validate());
        foreach (var (name, value) in new[]
        {
            (nameof(KeepAliveTimeout), KeepAliveTimeout),
            (nameof(RequestHeadersTimeout), RequestHeadersTimeout),
            (nameof(UpstreamConnectTimeout), UpstreamConnectTimeout),
            (nameof(UpstreamIdleTimeout), UpstreamIdleTimeout),
            (nameof(UpstreamActivityTimeout), UpstreamActivityTimeout),
            (nameof(TlsHandshakeTimeout), TlsHandshakeTimeout),
            (nameof(AccessLogFlushInterval), AccessLogFlushInterval),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"{name} must be positive, not {value}.");
            }
        }

        if (MaxConcurrentConnections is < 1)
        {
            errors.Add($"{nameof(MaxConcurrentConnections)} must be at least 1 or unset, not {MaxConcurrentConnections}.");
        }

        if (MaxRequestBodySize is < 0)
        {
            errors.Add($"{nameof(MaxRequestBodySize)} must not be negative, not {MaxRequestBodySize}.");
        }

        if (AccessLogBufferLines < 1)
        {
            errors.Add($"{nameof(AccessLogBufferLines)} must be at least 1, not {AccessLogBufferLines}.");
        }

        if (MaxConnectAttempts < 1)
        {
            errors.Add($"{nameof(MaxConnectAttempts)} must be at least 1, not {MaxConnectAttempts}.");
        }

        if (ShutdownTimeout < TimeSpan.Zero)
        {
            errors.Add($"{nameof(ShutdownTimeout)} must not be negative, not {ShutdownTimeout}.");
        }

        return errors;
    }
}
