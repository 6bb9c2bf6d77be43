using System.Diagnostics;
using Maille.Engine;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Labs;

/// <summary>
/// The per-node agent of a lab, in the role kube-proxy and the CNI's node agent play on a real node: it brings its
/// node's data plane in line with each new plan. A stopped agent (its node failed, <c>maille node stop</c>) does nothing
/// until it is started again, when it syncs to the latest plan at once, as a restarted kube-proxy does.
/// </summary>
internal sealed partial class NodeAgent(string node, IReadOnlyList<INodeDataplane> parts, ILogger logger) : IDisposable
{
    private readonly Lock _gate = new();
    private ClusterState? _latest;

    public string Node => node;

    public bool Running { get; private set; } = true;

    public IReadOnlyList<INodeDataplane> Parts => parts;

    /// <summary>How many syncs ran, how long the last took, and what failed last (empty when the last sync worked).</summary>
    public NodeAgentStatus Status { get; private set; } = new();

    public void Sync(ClusterState cluster)
    {
        lock (_gate)
        {
            _latest = cluster;
            if (Running)
            {
                SyncLocked(cluster);
            }
        }
    }

    public void Stop()
    {
        lock (_gate)
        {
            Running = false;
        }
    }

    public void Start()
    {
        lock (_gate)
        {
            Running = true;
            if (_latest is not null)
            {
                SyncLocked(_latest);
            }
        }
    }

    public void Dispose()
    {
        foreach (var part in parts)
        {
            part.Dispose();
        }
    }

    private void SyncLocked(ClusterState cluster)
    {
        var started = Stopwatch.GetTimestamp();
        var errors = new List<string>();
        foreach (var part in parts)
        {
            try
            {
                part.Sync(cluster);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or ArgumentException)
            {
                // One part failing (an nftables transaction refused) must not keep the others stale; the next sync retries.
                errors.Add($"{part.Name}: {e.Message}");
                LogSyncFailed(node, part.Name, e.Message);
            }
        }

        Status = new NodeAgentStatus
        {
            Syncs = Status.Syncs + 1,
            LastSyncMilliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            LastError = string.Join("; ", errors),
        };
    }

    [LoggerMessage(EventId = 530, Level = LogLevel.Warning, Message = "Node {Node}: {Part} failed to sync: {Reason}")]
    private partial void LogSyncFailed(string node, string part, string reason);
}
