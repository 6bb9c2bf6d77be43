using Prometheus;

namespace Maille.Lab.Ingresses;

/// <summary>
/// The proxy's Prometheus metrics, in a registry of their own (so several proxies in one process, as in tests, do
/// not share counters):
/// <c>maille_ingress_requests_total{ingress,service,status}</c>,
/// <c>maille_ingress_request_duration_seconds{ingress,service}</c> (histogram, from request start to response end),
/// <c>maille_ingress_upstream_connect_failures_total{service}</c> (connections to an endpoint that could not be made,
/// each followed by another endpoint when one is left). <c>ingress</c> and <c>service</c> are <c>namespace/name</c>,
/// empty when no rule matched.
/// </summary>
public sealed class IngressProxyMetrics
{
    private static readonly double[] DurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly Counter _requests;
    private readonly Histogram _duration;
    private readonly Counter _connectFailures;

    public IngressProxyMetrics()
    {
        var factory = Metrics.WithCustomRegistry(_registry);
        _requests = factory.CreateCounter("maille_ingress_requests_total", "Requests answered by the Ingress controller.",
            new CounterConfiguration { LabelNames = ["ingress", "service", "status"] });
        _duration = factory.CreateHistogram("maille_ingress_request_duration_seconds", "Time from request start to response end.",
            new HistogramConfiguration { LabelNames = ["ingress", "service"], Buckets = DurationBuckets });
        _connectFailures = factory.CreateCounter("maille_ingress_upstream_connect_failures_total", "Connections to backend endpoints that could not be made.",
            new CounterConfiguration { LabelNames = ["service"] });
    }

    public void Observe(string ingress, string service, int status, TimeSpan duration)
    {
        _requests.WithLabels(ingress, service, StatusText(status)).Inc();
        _duration.WithLabels(ingress, service).Observe(duration.TotalSeconds);
    }

    public void ConnectFailed(string service) => _connectFailures.WithLabels(service).Inc();

    /// <summary>Writes every metric in the Prometheus text format.</summary>
    public Task WriteAsync(Stream destination, CancellationToken cancellationToken) =>
        _registry.CollectAndExportAsTextAsync(destination, cancellationToken);

    private static string StatusText(int status) => status switch
    {
        200 => "200",
        404 => "404",
        502 => "502",
        503 => "503",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
