using System.Diagnostics;
using Maille.Dataplane.Ebpf;
using Maille.Dataplane.Linux.Netns;
using Maille.Engine;
using Maille.Engine.ServiceProxy;

namespace Maille.Dataplane.Linux.Ebpf;

/// <summary>
/// One node's ClusterIP translation at the socket: loads <c>socket_lb.bpf.o</c> (its own maps), attaches its four
/// programs (connect4, sendmsg4, recvmsg4, getpeername4) to the lab's cgroup, and keeps its maps equal to what the
/// engine plans for the node. The programs act only on sockets of the namespaces in the <c>netns</c> map: the node's and
/// its pods'. <see cref="Dispose"/> detaches them; so does the kernel when the process dies (bpf_link).
/// With an uplink, <see cref="NodePortProgram"/> goes on its tc ingress (inside the node's namespace): NodePorts,
/// LoadBalancer IPs and externalIPs for connections from outside the node. That filter is not a bpf_link: it stays
/// until <see cref="Dispose"/> deletes the uplink's clsact qdisc, or <c>maille down</c> removes the namespace.
/// </summary>
public sealed class NodeSocketLoadBalancer : IDisposable
{
    public const string ObjectFile = "socket_lb.bpf.o";

    /// <summary>The programs of <see cref="ObjectFile"/>, each attached to the hook its section names.</summary>
    public static readonly IReadOnlyList<string> Programs = ["maille_connect4", "maille_sendmsg4", "maille_recvmsg4", "maille_getpeername4"];

    /// <summary>The tc program for connections from outside the node, on the uplink's ingress.</summary>
    public const string NodePortProgram = "maille_nodeport";

    /// <summary>The size from which a batch is worth a thread of its own (<see cref="WriteStage"/>).</summary>
    private const int ConcurrentBatchMinimum = 4096;

    private readonly Lock _gate = new();
    private readonly BpfObject _object;
    private readonly NetworkNamespace _node;
    private readonly (string Name, int Index)? _uplink;
    private readonly Func<ClusterState, IReadOnlyList<string>> _podNamespaces;
    private readonly NamespaceCookies _cookies = new();
    private readonly ulong _nodeCookie;
    private readonly SocketLbState _state = new();
    private readonly Dictionary<SocketLbMap, BpfMap> _maps;
    private (ClusterState Cluster, NodeServicePlan Plan)? _lastPlan;

    /// <summary>The maps as the object's load made them, empty: the first full sync has nothing else to delete.</summary>
    private bool _mapsNew;

    /// <param name="podNamespaces">The names of the namespaces of the node's pods in a cluster (under /run/netns).</param>
    /// <param name="uplink">The node's interface toward the other nodes and the outside (<c>eth0</c>), where
    /// <see cref="NodePortProgram"/> goes; null attaches no tc program.</param>
    /// <param name="objectPath">The compiled object; by default <c>bpf/socket_lb.bpf.o</c> beside the assemblies.</param>
    /// <param name="pinDirectory">A bpffs folder of this node's own (a <c>maille agent</c> process's): the maps and the
    /// cgroup links are pinned there, so the hooks keep translating after the process ends, and the next process takes
    /// them over (<see cref="BpfObject.Load"/>). Null: they go with this object, as the daemon's in-process parts do.</param>
    public NodeSocketLoadBalancer(NetworkNamespace node, string nodeName, LabCgroup cgroup, Func<ClusterState, IReadOnlyList<string>> podNamespaces, string? uplink = null, string? objectPath = null, string? pinDirectory = null)
    {
        NodeName = nodeName;
        _node = node;
        _podNamespaces = podNamespaces;
        _nodeCookie = NamespaceCookies.Read(node);
        _object = BpfObject.Load(objectPath ?? DefaultObjectPath, pinDirectory);
        _mapsNew = !_object.MapsReused;
        try
        {
            _maps = new()
            {
                [SocketLbMap.Namespaces] = _object.Map("netns", SocketLbLayout.NamespaceKeySize),
                [SocketLbMap.Services] = _object.Map("services", SocketLbLayout.ServiceKeySize),
                [SocketLbMap.Backends] = _object.Map("backends", SocketLbLayout.BackendKeySize),
                [SocketLbMap.Members] = _object.Map("members", SocketLbLayout.MemberKeySize),
                [SocketLbMap.External] = _object.Map("nodeports", SocketLbLayout.ServiceKeySize),
            };
            _object.AttachToCgroup(cgroup, Programs);
            if (uplink is not null)
            {
                var program = _object.ProgramDescriptor(NodePortProgram);
                _uplink = (uplink, node.RunInside(() =>
                {
                    var index = (int)Interop.Libc.IfNameToIndex(uplink);
                    if (index == 0)
                    {
                        throw Interop.Libc.LastError($"if_nametoindex {uplink} in {node.Name}");
                    }

                    TcAttachment.CreateHook(index, $"{uplink} in {node.Name}");
                    TcAttachment.Attach(index, Interop.LibBpf.TcIngress, program, NodePortProgram, uplink);
                    return index;
                }));
            }
        }
        catch
        {
            DetachUplink();
            _object.Dispose();
            throw;
        }
    }

    public static string DefaultObjectPath => Path.Combine(AppContext.BaseDirectory, "bpf", ObjectFile);

    public string NodeName { get; }

    public IReadOnlyList<string> AttachedPrograms => _uplink is null ? _object.AttachedPrograms : [.. _object.AttachedPrograms, NodePortProgram];

    /// <summary>Where the link of the cgroup program <paramref name="program"/> is pinned (null: this object pins nothing).</summary>
    public string? PinnedLink(string program) => _object.PinnedLink(program);

    /// <summary>The interface <see cref="NodePortProgram"/> is on (null: none).</summary>
    public string? Uplink => _uplink?.Name;

    /// <summary>The cookie of the node's own namespace (always in the <c>netns</c> map).</summary>
    internal ulong NodeCookie => _nodeCookie;

    /// <summary>Makes the maps hold <paramref name="cluster"/>'s plan for this node; <paramref name="full"/> writes them whole and deletes what else they hold.</summary>
    public NodeSocketLoadBalancerSync Sync(ClusterState cluster, bool full = false)
    {
        lock (_gate)
        {
            var plan = ServiceProxyPlanner.Plan(cluster, NodeName, full ? null : _lastPlan);
            _lastPlan = (cluster, plan);
            var names = _podNamespaces(cluster);
            var cookies = new HashSet<ulong> { _nodeCookie };
            var missing = new List<string>();
            foreach (var name in names)
            {
                if (_cookies.Of(name) is { } cookie)
                {
                    cookies.Add(cookie);
                }
                else
                {
                    missing.Add(name);
                }
            }

            _cookies.Keep(names.ToHashSet(StringComparer.Ordinal));
            var sync = Write(plan, cookies, full);
            // A pod's namespace is made before its node agent hears of it; one that is missing is retried.
            return sync.Error is null && missing.Count > 0 ? sync with { Error = $"{missing.Count} pod namespaces do not exist (yet), e.g. {missing[0]}" } : sync;
        }
    }

    /// <summary>
    /// Makes the maps hold <paramref name="plan"/> with <paramref name="namespaces"/> (cookies) as the namespaces the
    /// programs act on: the map writes are planned (pure, <see cref="SocketLbState"/>), then written. What
    /// <see cref="Sync"/> does once it has the node's plan; the benchmarks call it with a plan of their own.
    /// </summary>
    internal NodeSocketLoadBalancerSync Write(NodeServicePlan plan, IReadOnlySet<ulong> namespaces, bool full = false)
    {
        lock (_gate)
        {
            var preparing = Stopwatch.GetTimestamp();
            var change = _state.Prepare(plan, namespaces, full);
            var prepareDuration = Stopwatch.GetElapsedTime(preparing);
            var applying = Stopwatch.GetTimestamp();
            try
            {
                foreach (var stage in change.Stages)
                {
                    WriteStage(stage);
                }

                if (change.Full && !_mapsNew)
                {
                    // Drift repair: what the maps hold beyond the full change's entries goes, after they are written.
                    foreach (var (kind, map) in _maps)
                    {
                        var wanted = new HashSet<UInt128>();
                        foreach (var batch in change.Batches.Where(b => b.Map == kind && !b.IsDelete))
                        {
                            for (var i = 0; i < batch.Count; i++)
                            {
                                wanted.Add(KeyBits(batch.Key(i)));
                            }
                        }

                        BpfMapWrites.DeleteOthers(map, key => wanted.Contains(KeyBits(key)));
                    }
                }
            }
            catch (IOException e)
            {
                _mapsNew = false;
                _state.Reset();
                return new NodeSocketLoadBalancerSync { Plan = null, Full = change.Full, CommandCount = change.CommandCount, PrepareDuration = prepareDuration, ApplyDuration = Stopwatch.GetElapsedTime(applying), Error = e.Message };
            }

            _mapsNew = false;
            _state.Commit(change);
            return new NodeSocketLoadBalancerSync
            {
                Plan = plan,
                Full = change.Full,
                CommandCount = change.CommandCount,
                PrepareDuration = prepareDuration,
                ApplyDuration = Stopwatch.GetElapsedTime(applying),
                ServicePortCount = _state.ServicePortCount,
                BackendCount = _state.BackendCount,
                NamespaceCount = _state.NamespaceCount,
            };
        }
    }

    /// <summary>What the socket hooks read now for a connection to <paramref name="address"/>:<paramref name="port"/> (<see cref="SocketLbWalker"/>).</summary>
    public SocketLbWalk Walk(System.Net.IPAddress address, int port, Model.Protocol protocol)
    {
        lock (_gate)
        {
            return SocketLbWalker.Walk((map, key, size) => _maps[map].Lookup(key, size), address, port, protocol);
        }
    }

    /// <summary>What the tc program on the node's interface reads now for a connection from outside to <paramref name="address"/>:<paramref name="port"/> (<see cref="SocketLbWalker.WalkFromOutside"/>).</summary>
    public SocketLbWalk WalkFromOutside(System.Net.IPAddress address, int port, Model.Protocol protocol)
    {
        lock (_gate)
        {
            return SocketLbWalker.WalkFromOutside((map, key, size) => _maps[map].Lookup(key, size), address, port, protocol);
        }
    }

    /// <summary>The element count of every map of the object, the LRU ones (affinity, reverse translations) included.</summary>
    public IReadOnlyDictionary<string, int> MapCounts()
    {
        lock (_gate)
        {
            return new Dictionary<string, int>(StringComparer.Ordinal)
            {
                ["netns"] = _maps[SocketLbMap.Namespaces].Count(),
                ["services"] = _maps[SocketLbMap.Services].Count(),
                ["backends"] = _maps[SocketLbMap.Backends].Count(),
                ["members"] = _maps[SocketLbMap.Members].Count(),
                ["nodeports"] = _maps[SocketLbMap.External].Count(),
                ["external_affinity"] = _object.Map("external_affinity", 8).Count(),
                ["affinity"] = _object.Map("affinity", 16).Count(),
                ["reverse"] = _object.Map("reverse", 16).Count(),
            };
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            DetachUplink();
            _object.Dispose();
        }
    }

    /// <summary>
    /// Writes a stage's batches (<see cref="SocketLbChange.Stages"/>: different maps, none waiting for another). Large
    /// ones (a full sync's 100,000 slots and 100,000 members) go to the kernel from two threads at once: the kernel's
    /// inserts are most of a full sync's writing, and two maps do not share a lock. Small ones (a change's few writes)
    /// stay on this thread, which costs less than handing them over.
    /// </summary>
    private void WriteStage(IReadOnlyList<SocketLbBatch> stage)
    {
        var large = stage.Where(b => b.Count >= ConcurrentBatchMinimum).ToList();
        var handedOver = large.Count > 1 ? large.Skip(1).ToList() : [];
        var others = handedOver.Select(b => Task.Run(() => WriteBatch(b))).ToArray();
        List<Exception>? failures = null;
        foreach (var batch in stage.Except(handedOver))
        {
            try
            {
                WriteBatch(batch);
            }
            catch (IOException e)
            {
                (failures ??= []).Add(e);
            }
        }

        foreach (var task in others)
        {
            try
            {
                task.GetAwaiter().GetResult();
            }
            catch (IOException e)
            {
                (failures ??= []).Add(e);
            }
        }

        if (failures is not null)
        {
            throw failures.Count == 1 ? failures[0] : new IOException(string.Join("; ", failures.Select(f => f.Message)), failures[0]);
        }
    }

    /// <summary>One run, packed as the kernel reads it: one batch call, no copy.</summary>
    private void WriteBatch(SocketLbBatch batch)
    {
        if (batch.IsDelete)
        {
            _maps[batch.Map].DeleteBatch(batch.Keys, batch.Count);
        }
        else
        {
            _maps[batch.Map].UpdateBatch(batch.Keys, batch.Values, batch.Count);
        }
    }

    /// <summary>A map key (at most 16 bytes: the socket LB's are 8 and 12) as one number, for a set without a string per key.</summary>
    private static UInt128 KeyBits(ReadOnlySpan<byte> key)
    {
        Span<byte> padded = stackalloc byte[16];
        padded.Clear();
        key.CopyTo(padded);
        return BitConverter.ToUInt128(padded);
    }

    private void DetachUplink()
    {
        if (_uplink is not { } uplink)
        {
            return;
        }

        try
        {
            _node.RunInside(() =>
            {
                // Only while the name still has that index.
                if ((int)Interop.Libc.IfNameToIndex(uplink.Name) == uplink.Index)
                {
                    TcAttachment.Destroy(uplink.Index, uplink.Name);
                }
            });
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The namespace is gone, and the interface with it.
        }
    }
}
