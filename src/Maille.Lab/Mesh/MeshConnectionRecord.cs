using Prometheus;

namespace Maille.Lab.Mesh;

/// <summary>
/// One connection's place in <see cref="MeshMetrics"/>: its byte counters, fetched once when it opened (so each chunk
/// costs an atomic add, not a label lookup), and its close, counted once with the flags that ended it. Disposing it
/// closes it without flags, unless a refusal or failure closed it first, so <c>using</c> counts every path once.
/// </summary>
internal sealed class MeshConnectionRecord(MeshMetrics metrics, MeshTrafficLabels labels, Counter.Child received, Counter.Child sent) : IDisposable
{
    private int _closed;

    /// <summary>Client → server bytes.</summary>
    public void Received(int bytes) => received.Inc(bytes);

    /// <summary>Server → client bytes.</summary>
    public void Sent(int bytes) => sent.Inc(bytes);

    /// <summary>Counts the close once; later calls do nothing (a connection is refused or ends once).</summary>
    public void Close(string flags = MeshTrafficLabels.NoFlags)
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            metrics.Closed(labels, flags);
        }
    }

    public void Dispose() => Close();
}
