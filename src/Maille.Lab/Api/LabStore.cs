using System.Collections.Immutable;
using System.Threading.Channels;
using Maille.Engine;
using Maille.Kube;
using Maille.Kube.Fields;

namespace Maille.Lab.Api;

/// <summary>
/// The daemon's current view of its lab, with a resource version that grows on every change, each object's own
/// version (<see cref="ObjectVersions"/>), the recent changes a watch can resume from, and a channel per watcher that
/// is told when the view changes.
/// </summary>
public sealed class LabStore
{
    /// <summary>How many recent object changes are kept by default for watches that resume (older versions get 410 Gone).</summary>
    public const int DefaultRetainedChanges = 50_000;

    private readonly int _retainedChanges;

    private readonly Lock _gate = new();
    private readonly List<Channel<long>> _watchers = [];
    private readonly ObjectVersions _versions = new();
    private readonly LinkedList<ApiChange> _changes = [];
    private ClusterState? _cluster;
    private ImmutableDictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>> _managed = ImmutableDictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>>.Empty;
    private long _version = 1;

    /// <summary>The oldest version a watch may resume from: every change after it is still kept.</summary>
    private long _oldestResumable = 1;

    public LabStore(ClusterState? initial, int retainedChanges = DefaultRetainedChanges)
    {
        _retainedChanges = retainedChanges;
        _cluster = initial;
        if (initial is not null)
        {
            _versions.Advance(initial, _managed, _version);
        }
    }

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

    /// <param name="managed">The managed fields of the objects written through the API (a change of owners alone changes an object).</param>
    public void Update(ClusterState cluster, ImmutableDictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>>? managed = null)
    {
        managed ??= ImmutableDictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>>.Empty;
        lock (_gate)
        {
            var first = _cluster is null;
            _cluster = cluster;
            _managed = managed;
            _version++;
            var changes = _versions.Advance(cluster, managed, _version);
            if (first)
            {
                // The first state is where every watch starts: nothing before it to replay.
                _oldestResumable = _version;
            }
            else
            {
                foreach (var (resource, type, item) in changes)
                {
                    _changes.AddLast(new ApiChange(_version, resource, type, item.Meta, ApiJson.Write(item, _version, managed.GetValueOrDefault(ApiJson.KeyOf(resource, item))).ToJsonString()));
                }

                while (_changes.Count > _retainedChanges)
                {
                    _oldestResumable = _changes.First!.Value.Version;
                    _changes.RemoveFirst();
                }
            }

            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(_version);
            }
        }
    }

    /// <summary>
    /// The current view with each object's own resource version (the store version at its last change) and managed
    /// fields, read together.
    /// </summary>
    public (ClusterState Cluster, long Version, Func<ApiResource, string, long> VersionOf, Func<ApiResource, ApiObject, ImmutableArray<ManagedFieldsEntry>> ManagedOf) Snapshot
    {
        get
        {
            lock (_gate)
            {
                var version = _version;
                var versions = _versions.Now;
                var managed = _managed;
                return (_cluster ?? throw new InvalidOperationException("the lab has published no state yet"), version, (resource, key) => versions(resource, key) ?? version,
                    (resource, item) => managed.GetValueOrDefault(ApiJson.KeyOf(resource, item)));
            }
        }
    }

    /// <summary>
    /// The changes of <paramref name="resource"/> after <paramref name="from"/> up to the current version, and that
    /// version; null when changes after <paramref name="from"/> are no longer kept (the client must list again: 410).
    /// </summary>
    public (List<ApiChange> Changes, ClusterState Cluster, long Version)? ChangesSince(ApiResource resource, long from)
    {
        lock (_gate)
        {
            if (from < _oldestResumable || _cluster is null)
            {
                return null;
            }

            var changes = new List<ApiChange>();
            for (var node = _changes.Last; node is not null && node.Value.Version > from; node = node.Previous)
            {
                if (node.Value.Resource == resource)
                {
                    changes.Add(node.Value);
                }
            }

            changes.Reverse();
            return (changes, _cluster, _version);
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
