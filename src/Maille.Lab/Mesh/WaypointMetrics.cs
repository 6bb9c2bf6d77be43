using System.Globalization;
using Prometheus;

namespace Maille.Lab.Mesh;

/// <summary>
/// A waypoint's Prometheus metrics, with Istio's HTTP names and labels: <c>istio_requests_total</c> and
/// <c>istio_request_duration_milliseconds</c> per request, with the standard labels (<see cref="MeshTrafficLabels"/>,
/// <c>reporter="waypoint"</c>, <c>request_protocol="http"</c>), <c>response_code</c>, and Envoy's
/// <c>response_flags</c> (<c>RBAC</c> denied by an AuthorizationPolicy, <c>UH</c> no ready endpoint, <c>UF</c> the
/// upstream connection failed, <c>UT</c> the route's timeout, <c>-</c> otherwise). A registry of its own.
/// </summary>
internal sealed class WaypointMetrics
{
    public const string Reporter = "waypoint";

    public const string Denied = "RBAC";

    public const string NoHealthyUpstream = "UH";

    public const string UpstreamFailure = "UF";

    public const string UpstreamTimeout = "UT";

    private static readonly string[] Names = [.. MeshTrafficLabels.Names, "response_code"];

    // Istio's buckets for request durations, in milliseconds.
    private static readonly double[] Buckets = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly Counter _requests;
    private readonly Histogram _duration;

    public WaypointMetrics()
    {
        var factory = Metrics.WithCustomRegistry(_registry);
        _requests = factory.CreateCounter("istio_requests_total", "Total requests handled by an Istio proxy", new CounterConfiguration { LabelNames = Names });
        _duration = factory.CreateHistogram("istio_request_duration_milliseconds", "Total time taken for a request", new HistogramConfiguration { LabelNames = Names, Buckets = Buckets });
    }

    /// <summary>Counts one request answered with <paramref name="status"/> after <paramref name="elapsed"/>.</summary>
    public void Observe(MeshTrafficLabels labels, string flags, int status, TimeSpan elapsed)
    {
        string[] values = [.. labels.Values(flags, "http"), status.ToString(CultureInfo.InvariantCulture)];
        _requests.WithLabels(values).Inc();
        _duration.WithLabels(values).Observe(elapsed.TotalMilliseconds);
    }

    public Task WriteAsync(Stream destination, CancellationToken cancellationToken) =>
        _registry.CollectAndExportAsTextAsync(destination, cancellationToken);
}
