using Prometheus;

namespace Maille.Lab.Mesh;

/// <summary>
/// A node proxy's Prometheus metrics, with Istio's names and labels (<see cref="MeshTrafficLabels"/>), as ztunnel
/// reports them: <c>istio_tcp_connections_opened_total</c> when a connection is taken in (before it is decided),
/// <c>istio_tcp_connections_closed_total</c> when it ends, with the <c>response_flags</c> that ended it (<c>-</c>,
/// <c>DENY</c>, <c>CONNECT</c>), <c>istio_tcp_received_bytes_total</c> (client → server) and
/// <c>istio_tcp_sent_bytes_total</c> (server → client) as the bytes cross. In a registry of its own, so that several
/// proxies in one process (the lab daemon, tests) do not share counters.
/// </summary>
internal sealed class MeshMetrics
{
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly Counter _opened;
    private readonly Counter _closed;
    private readonly Counter _received;
    private readonly Counter _sent;

    public MeshMetrics()
    {
        var factory = Metrics.WithCustomRegistry(_registry);
        var labels = new CounterConfiguration { LabelNames = MeshTrafficLabels.Names };
        _opened = factory.CreateCounter("istio_tcp_connections_opened_total", "The total number of TCP connections opened", labels);
        _closed = factory.CreateCounter("istio_tcp_connections_closed_total", "The total number of TCP connections closed", labels);
        _received = factory.CreateCounter("istio_tcp_received_bytes_total", "The size of total bytes received during request in case of a TCP connection", labels);
        _sent = factory.CreateCounter("istio_tcp_sent_bytes_total", "The size of total bytes sent during response in case of a TCP connection", labels);
    }

    /// <summary>Counts a connection as opened; the returned record counts its bytes and its close.</summary>
    public MeshConnectionRecord Open(MeshTrafficLabels labels)
    {
        var values = labels.Values(MeshTrafficLabels.NoFlags);
        _opened.WithLabels(values).Inc();
        return new MeshConnectionRecord(this, labels, _received.WithLabels(values), _sent.WithLabels(values));
    }

    /// <summary>Writes every metric in the Prometheus text format.</summary>
    public Task WriteAsync(Stream destination, CancellationToken cancellationToken) =>
        _registry.CollectAndExportAsTextAsync(destination, cancellationToken);

    internal void Closed(MeshTrafficLabels labels, string flags) => _closed.WithLabels(labels.Values(flags)).Inc();
}
