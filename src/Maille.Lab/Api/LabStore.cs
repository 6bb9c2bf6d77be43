using System.Collections.Immutable;
using System.Threading.Channels;
using Maille.Engine;
using Maille.Engine.Workloads;
using Maille.Kube;
using Maille.Model;

namespace Maille.Lab.Api;

/// <summary>
/// The daemon's current view of its lab, with a resource version that grows on every change, each object's own
/// version (<see cref="ObjectVersions"/>), the recent changes a watch can resume from, a channel per watcher that
/// is told when the view changes, and what the API shows beyond the plan: the objects as written, when pods started
/// and nodes changed, and the events (<see cref="EventLog"/>, bounded).
/// </summary>
public sealed class LabStore
{
    /// <summary>How many recent object changes are kept by default for watches that resume (older versions get 410 Gone).</summary>
    public const int DefaultRetainedChanges = 50_000;

    /// <summary>What a lab node reports when the daemon did not say (tests of the API alone).</summary>
    internal static readonly NodeSystem UnknownSystem = new()
    {
        Cpus = 1,
        MemoryKibibytes = 1024 * 1024,
        KernelVersion = "",
        OsImage = "",
        Architecture = "amd64",
        KubeletVersion = "",
        ContainerRuntimeVersion = "maille://",
        MachineId = "",
        BootId = "",
    };

    private readonly int _retainedChanges;
    private readonly NodeSystem _system;
    private readonly TimeProvider _clock;

    private readonly Lock _gate = new();
    private readonly List<Channel<long>> _watchers = [];
    private readonly ObjectVersions _versions = new();
    private readonly LinkedList<ApiChange> _changes = [];
    private readonly EventLog _events;
    private readonly Dictionary<string, bool> _podReady = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _nodeReady = new(StringComparer.Ordinal);
    private ImmutableDictionary<string, PodTimes> _podTimes = ImmutableDictionary.Create<string, PodTimes>(StringComparer.Ordinal);
    private ImmutableDictionary<string, DateTimeOffset> _nodesChanged = ImmutableDictionary.Create<string, DateTimeOffset>(StringComparer.Ordinal);
    private ImmutableDictionary<string, DateTimeOffset> _leasesRenewed = ImmutableDictionary.Create<string, DateTimeOffset>(StringComparer.Ordinal);
    private ImmutableDictionary<string, long> _eventVersions = ImmutableDictionary.Create<string, long>(StringComparer.Ordinal);
    private IReadOnlyList<(LabEvent Event, long Version)>? _eventList;
    private ServedFacts _facts = ServedFacts.None;
    private PodAvailability? _availability;
    private ITimer? _availabilityTimer;
    private long _publishedVersion;
    private ApiView? _view;
    private ClusterState? _cluster;
    private long _version = 1;

    /// <summary>The oldest version a watch may resume from: every change after it is still kept.</summary>
    private long _oldestResumable = 1;

    /// <param name="system">What the lab's nodes report of the machine (<c>status.capacity</c>, <c>nodeInfo</c>).</param>
    /// <param name="eventCapacity">How many events are kept.</param>
    /// <param name="versionsAfter">
    /// The versions of a previous daemon of the lab end below it (<see cref="Labs.LabState.ReserveVersions"/>): this store's
    /// versions start after it, and a watch that resumes from one of the old ones is told 410 Gone.
    /// </param>
    public LabStore(ClusterState? initial, int retainedChanges = DefaultRetainedChanges, NodeSystem? system = null, TimeProvider? clock = null, int eventCapacity = EventLog.DefaultCapacity, long versionsAfter = 0)
    {
        _version = Math.Max(_version, versionsAfter);
        _retainedChanges = retainedChanges;
        _system = system ?? UnknownSystem;
        _clock = clock ?? TimeProvider.System;
        _events = new EventLog(eventCapacity, _clock);
        if (initial is not null)
        {
            // The initial state is version 1, as if published by the first update.
            _version = versionsAfter;
            Update(initial);
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

    /// <summary>
    /// The version of the last published state (<see cref="Update(ClusterState)"/>), not moved by lease renewals or events
    /// recorded on their own: a watch that takes bookmarks is told at once of a publication without a change for it (a node
    /// agent reports how far it has read), and left alone by the lab's own housekeeping, so an idle agent stays idle.
    /// </summary>
    public long PublishedVersion => Volatile.Read(ref _publishedVersion);

    /// <summary>Publishes <paramref name="cluster"/>: only the plan is shown.</summary>
    public void Update(ClusterState cluster) => Update(cluster, null);

    /// <summary>Publishes <paramref name="cluster"/>, with what the lab knows beyond it.</summary>
    internal void Update(ClusterState cluster, ServedFacts? facts)
    {
        lock (_gate)
        {
            var first = _cluster is null;
            var before = _view;
            var published = _cluster;
            _cluster = cluster;
            var othersKept = !first && before is not null && _facts.UnchangedBesidesObjects(facts ?? ServedFacts.None);
            var written = othersKept ? _facts.WrittenKeysChangedBy(facts ?? ServedFacts.None) : null;
            _facts = facts ?? ServedFacts.None;
            _version++;
            var now = _clock.GetUtcNow();
            _availability = AvailabilityOf(cluster, now, published);
            var next = View();
            var changes = _versions.Advance(
                cluster,
                _version,
                next.Extra,
                _availability,
                factsKept: othersKept ? (resource, item) => next.FactsUnchangedSince(before!, written, resource, item) : null,
                // Only kinds read from one collection of the plan: a pod's facts include its workload's template.
                kindKept: written is null ? null : resource => resource.Source is not null && !written.Any(key => key.Kind == resource.Kind && key.Group == resource.Group));
            var happened = new List<EventRecord>();
            foreach (var (resource, type, item, previous) in changes)
            {
                Observe(resource, type, item, now, happened);
                happened.AddRange(ChangeEvents.Of(resource, type, item, previous));
            }

            Volatile.Write(ref _publishedVersion, _version);
            var view = _view = View();
            if (first)
            {
                // The first state is where every watch starts: nothing before it to replay.
                _oldestResumable = _version;
            }
            else
            {
                foreach (var (resource, type, item, _) in changes)
                {
                    // A deleted object is written as it was last seen, with what was known of it then.
                    var writer = type == "DELETED" && before is not null ? before : view;
                    _changes.AddLast(new ApiChange(_version, resource, type, item.Meta, writer.Write(resource, item, _version).ToJsonString()));
                }
            }

            foreach (var record in happened)
            {
                RecordLocked(record, keepChange: !first);
            }

            _view = View();
            Trim();
            Notify();
            WakeWhenAvailable();
        }
    }

    /// <summary>The workload kinds whose served counts change when a pod has been Ready for <c>minReadySeconds</c>.</summary>
    private static readonly ApiResource[] Workloads = [.. ApiResources.All.Where(r => r is { Group: "apps", Kind: "Deployment" or "ReplicaSet" or "StatefulSet" or "DaemonSet" })];

    /// <summary>
    /// Which pods count as available at <paramref name="now"/>: each pod has been Ready since its readiness last changed,
    /// and a pod first seen, or seen changing, in the state being published changed now (what <see cref="Observe"/> then
    /// records). Null when no workload waits <c>minReadySeconds</c>: available is ready, and nothing is worked out.
    /// </summary>
    /// <param name="previous">The state published before: a pod of a new uid there (made again under its name) is new.</param>
    private PodAvailability? AvailabilityOf(ClusterState cluster, DateTimeOffset now, ClusterState? previous = null)
    {
        if (!cluster.Workloads.Any(w => w.MinReadySeconds > 0))
        {
            return null;
        }

        var since = new Dictionary<string, DateTimeOffset>(cluster.Pods.Count, StringComparer.Ordinal);
        foreach (var pod in cluster.Pods)
        {
            var key = pod.QualifiedName;
            var unchanged = _podTimes.TryGetValue(key, out var times) && (!_podReady.TryGetValue(key, out var was) || was == (pod.Status.Ready != false))
                && (previous is null || !previous.PodsByName.TryGetValue(key, out var had) || ObjectUid.Same(had.Meta, pod.Meta));
            since[key] = unchanged ? times!.ReadyChanged : now;
        }

        return new PodAvailability(since, now);
    }

    /// <summary>
    /// Sets a timer for the next time a Ready pod has been Ready for a workload's <c>minReadySeconds</c>: nothing is
    /// published then (the pod did not change), yet its workload's served counts do, so watchers must be told. Each
    /// distinct <c>minReadySeconds</c> is tried on every owned pod, so the timer may fire early for a pod whose own
    /// workload waits longer; that look finds no change and sets the next.
    /// </summary>
    private void WakeWhenAvailable()
    {
        _availabilityTimer?.Dispose();
        _availabilityTimer = null;
        if (_availability is not { } availability || _cluster is null)
        {
            return;
        }

        var owned = _cluster.Pods.Where(p => p.Owner is not null).ToList();
        var next = _cluster.Workloads.Select(w => w.MinReadySeconds).Where(s => s > 0).Distinct()
            .Select(seconds => availability.NextAvailable(owned, seconds)).Where(at => at is not null).Min();
        if (next is { } at)
        {
            var due = at - availability.Now;
            _availabilityTimer = _clock.CreateTimer(_ => CountAvailable(), null, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// Counts the workloads' available pods again at the time now: a workload whose counts changed is a new version,
    /// one MODIFIED for watchers, as when its controller writes its status. Nothing else is read again.
    /// </summary>
    private void CountAvailable()
    {
        lock (_gate)
        {
            if (_cluster is null)
            {
                return;
            }

            _availability = AvailabilityOf(_cluster, _clock.GetUtcNow());
            var version = _version + 1;
            var view = View();
            var changes = Workloads.SelectMany(resource => _versions.Advance(_cluster, version, view.Extra, _availability, only: resource)).ToList();
            if (changes.Count > 0)
            {
                _version = version;
                foreach (var (resource, type, item, _) in changes)
                {
                    _changes.AddLast(new ApiChange(_version, resource, type, item.Meta, view.Write(resource, item, _version).ToJsonString()));
                }

                Trim();
                Notify();
            }

            _view = View();
            WakeWhenAvailable();
        }
    }

    /// <summary>
    /// The least time between two renewals of a node's lease. A kubelet renews every quarter of its 40 s lease; the
    /// lab's node agents are the daemon's own, so a renewal says the node is up, and watchers of leases get at most one
    /// change per node per interval, however often the daemon asks.
    /// </summary>
    public static readonly TimeSpan LeaseRenewInterval = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Renews the leases of <paramref name="nodes"/> (the nodes that run) whose last renewal is at least
    /// <see cref="LeaseRenewInterval"/> old: one new version for all of them, one MODIFIED per lease for watchers.
    /// Nothing is published when no lease is due.
    /// </summary>
    internal void RenewLeases(IEnumerable<string> nodes)
    {
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            var due = nodes.Where(n => !_leasesRenewed.TryGetValue(n, out var last) || now - last >= LeaseRenewInterval).ToList();
            if (_cluster is null || due.Count == 0)
            {
                return;
            }

            // Microseconds, as a MicroTime is written.
            var renewed = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % 10), TimeSpan.Zero);
            _leasesRenewed = _leasesRenewed.SetItems(due.Select(n => KeyValuePair.Create(n, renewed)));
            _version++;
            var view = View();
            foreach (var (resource, type, item, _) in _versions.Advance(_cluster, _version, view.Extra, _availability, only: ApiResources.Leases))
            {
                _changes.AddLast(new ApiChange(_version, resource, type, item.Meta, view.Write(resource, item, _version).ToJsonString()));
            }

            _view = View();
            Trim();
            Notify();
        }
    }

    /// <summary>Records an event said outside a published change (a readiness probe that failed, say).</summary>
    internal void Record(EventRecord record)
    {
        lock (_gate)
        {
            if (_cluster is null)
            {
                return;
            }

            _version++;
            RecordLocked(record, keepChange: true);
            _view = View();
            Trim();
            Notify();
        }
    }

    /// <summary>The current view: the plan, each object's own resource version, the facts and events, read together.</summary>
    public ApiView Snapshot
    {
        get
        {
            lock (_gate)
            {
                if (_cluster is null)
                {
                    throw new InvalidOperationException("the lab has published no state yet");
                }

                return _view ??= View();
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

    private ApiView View()
    {
        var versions = _versions.Now;
        var eventVersions = _eventVersions;
        _eventList ??= [.. _events.Events.Select(e => (e, eventVersions.GetValueOrDefault(e.Namespace + "/" + e.Name)))];
        return new ApiView(
            _cluster!,
            _version,
            (resource, key) => ApiResources.IsEvents(resource) ? eventVersions.TryGetValue(key, out var v) ? v : null : versions(resource, key),
            _facts,
            _podTimes,
            _nodesChanged,
            _system,
            _eventList,
            _leasesRenewed,
            _availability);
    }

    /// <summary>When each pod last became ready or not, by <c>namespace/name</c>: what <c>minReadySeconds</c> is counted from.</summary>
    internal IReadOnlyDictionary<string, DateTimeOffset> PodReadySince()
    {
        var times = _podTimes;
        return times.ToDictionary(t => t.Key, t => t.Value.ReadyChanged, StringComparer.Ordinal);
    }

    /// <summary>Keeps when each pod started and last changed readiness, and when each node last changed readiness.</summary>
    private void Observe(ApiResource resource, string type, ApiObject item, DateTimeOffset now, List<EventRecord> happened)
    {
        switch (item.Model)
        {
            case Pod pod when type == "DELETED":
                _podTimes = _podTimes.Remove(pod.QualifiedName);
                _podReady.Remove(pod.QualifiedName);
                break;
            case Pod pod:
                var ready = pod.Status.Ready != false;
                if (!_podTimes.TryGetValue(pod.QualifiedName, out var times))
                {
                    _podTimes = _podTimes.SetItem(pod.QualifiedName, new PodTimes(now, now));
                }
                else if (_podReady.TryGetValue(pod.QualifiedName, out var was) && was != ready)
                {
                    _podTimes = _podTimes.SetItem(pod.QualifiedName, times with { ReadyChanged = now });
                }

                _podReady[pod.QualifiedName] = ready;
                break;
            case Node node when type == "DELETED":
                _nodeReady.Remove(node.Name);
                _nodesChanged = _nodesChanged.Remove(node.Name);
                break;
            case Node node:
                var up = !_facts.DownNodes.Contains(node.Name);
                if (!_nodeReady.TryGetValue(node.Name, out var wasUp) || wasUp != up)
                {
                    _nodesChanged = _nodesChanged.SetItem(node.Name, now);
                    if (_nodeReady.ContainsKey(node.Name))
                    {
                        happened.Add(ChangeEvents.NodeReadiness(resource, item, up));
                    }
                }

                _nodeReady[node.Name] = up;
                break;
        }
    }

    private void RecordLocked(EventRecord record, bool keepChange)
    {
        var (recorded, added, evicted) = _events.Record(record);
        _eventList = null;
        var key = recorded.Namespace + "/" + recorded.Name;
        _eventVersions = _eventVersions.SetItem(key, _version);
        foreach (var gone in evicted)
        {
            _eventVersions = _eventVersions.Remove(gone.Namespace + "/" + gone.Name);
        }

        if (!keepChange)
        {
            return;
        }

        foreach (var (resource, write) in new[] { (ApiResources.Events, (Func<LabEvent, ApiObject>)EventObjects.Core), (ApiResources.EventsV1, EventObjects.EventsV1) })
        {
            foreach (var gone in evicted)
            {
                var item = write(gone);
                _changes.AddLast(new ApiChange(_version, resource, "DELETED", item.Meta, ApiJson.Write(item, _version).ToJsonString()));
            }

            var written = write(recorded);
            _changes.AddLast(new ApiChange(_version, resource, added ? "ADDED" : "MODIFIED", written.Meta, ApiJson.Write(written, _version).ToJsonString()));
        }
    }

    private void Trim()
    {
        while (_changes.Count > _retainedChanges)
        {
            _oldestResumable = _changes.First!.Value.Version;
            _changes.RemoveFirst();
        }
    }

    private void Notify()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Writer.TryWrite(_version);
        }
    }
}
