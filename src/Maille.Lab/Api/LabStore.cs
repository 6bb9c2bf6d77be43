using System.Threading.Channels;
using Maille.Engine;

namespace Maille.Lab.Api;

/// <summary>
/// The daemon's current view of its lab, with a resource version that grows on every change, and a channel per
/// watcher that is told when the view changes (level-triggered: a watcher reads the new view and diffs it).
/// </summary>
internal sealed class LabStore(ClusterState? initial)
{
    private readonly Lock _gate = new();
    private readonly List<Channel<long>> _watchers = [];
    private ClusterState? _cluster = initial;
    private long _version = 1;

    /// <exception cref="InvalidOperationException">Nothing was published yet.</exception>
    public (ClusterState Cluster, long Version) Current
    {
        get
        {
            lock (_gate)
            {
                return (_cluster ?? throw new InvalidOperationException("the lab has published no state yet"), _version);
            }
        }
    }

    public void Update(ClusterState cluster)
    {
        lock (_gate)
        {
            _cluster = cluster;
            _version++;
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(_version);
            }
        }
    }

    public ChannelReader<long> Watch()
    {
        var channel = Channel.CreateBounded<long>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_gate)
        {
            _watchers.Add(channel);
        }

        return channel.Reader;
    }

    public void Unwatch(ChannelReader<long> reader)
    {
        lock (_gate)
        {
            _watchers.RemoveAll(c => c.Reader == reader);
        }
    }
}
