using Maille.Dataplane.Linux.Lab;
using Maille.Engine;
using Maille.Engine.Mesh;
using Maille.Lab.Workloads;
using Maille.Model;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Mesh;

/// <summary>
/// The mesh of a running lab: a <see cref="MeshNodeProxy"/> per node, in the daemon, made when the first pod of the
/// mesh needs one, and the lab's mesh authority (<c>pki/mesh-ca.*</c>, made then too). <see cref="Sync"/> is
/// level-triggered: every pod the engine puts in the mesh, with an address and a namespace, is served by its node's
/// proxy, and no other; every waypoint pod (<see cref="WaypointManifests"/>) by the lab's <see cref="WaypointProxy"/>;
/// every proxy sees the latest state.
/// </summary>
internal sealed partial class LabMesh(string pkiDirectory, ILoggerFactory loggers) : IAsyncDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<LabMesh>();
    private readonly Dictionary<string, MeshNodeProxy> _proxies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Node, System.Net.IPAddress Address)> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, System.Net.IPAddress> _waypointPods = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private MeshCertificateAuthority? _authority;
    private WaypointProxy? _waypoint;

    /// <summary>The pods in the mesh now, by <c>namespace/name</c>.</summary>
    public IReadOnlyCollection<string> Members
    {
        get
        {
            lock (_gate)
            {
                return [.. _members.Keys];
            }
        }
    }

    /// <summary>The certificate a member's node proxy presents for it now (<c>namespace/name</c>), or null when it is not a member.</summary>
    public Kube.Views.MeshCertificateFacts? CertificateOf(string pod)
    {
        lock (_gate)
        {
            if (!_members.TryGetValue(pod, out var member) || !_proxies.TryGetValue(member.Node, out var proxy)
                || proxy.CertificateOf(PodId.Parse(pod)) is not { } certificate)
            {
                return null;
            }

            return new Kube.Views.MeshCertificateFacts(certificate.SerialNumber, certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime());
        }
    }

    /// <summary>
    /// What the node proxy serving <paramref name="pod"/> (<c>namespace/name</c>) would decide now for a TCP connection
    /// from <paramref name="source"/> to its <paramref name="port"/>; null when no proxy serves the pod.
    /// </summary>
    public MeshVerdict? Decide(System.Net.IPAddress source, string pod, int port)
    {
        lock (_gate)
        {
            return _members.TryGetValue(pod, out var member) && _proxies.TryGetValue(member.Node, out var proxy)
                ? proxy.Decide(source, PodId.Parse(pod), port)
                : null;
        }
    }

    public void Sync(ClusterState cluster, LabNetwork network, ClusterConfig config)
    {
        lock (_gate)
        {
            var mesh = MeshAuthorizer.For(cluster);
            var wanted = mesh.HasMeshedPods
                ? cluster.Pods.Where(p => !p.Spec.HostNetwork && p.Status.PodIP is not null && p.Spec.NodeName is not null && network.HasPod(p.QualifiedName) && mesh.IsMeshed(p))
                    .ToDictionary(p => p.QualifiedName, StringComparer.Ordinal)
                : [];
            foreach (var (key, member) in _members.ToList())
            {
                if (!wanted.TryGetValue(key, out var pod) || pod.Spec.NodeName != member.Node || !pod.Status.PodIP!.Equals(member.Address))
                {
                    RemoveLocked(key);
                }
            }

            foreach (var proxy in _proxies.Values)
            {
                proxy.Update(cluster);
            }

            foreach (var pod in wanted.Values.Where(p => !_members.ContainsKey(p.QualifiedName)))
            {
                try
                {
                    ProxyFor(pod.Spec.NodeName!, cluster, network, config).AddPod(pod, network.Pod(pod.QualifiedName), network.NodePlan(pod.Spec.NodeName!).Address);
                    _members[pod.QualifiedName] = (pod.Spec.NodeName!, pod.Status.PodIP!);
                }
                catch (Exception e) when (e is InvalidOperationException or System.Net.Sockets.SocketException or ArgumentException or IOException)
                {
                    LogJoinFailed(pod.QualifiedName, e.Message);
                }
            }

            SyncWaypoints(cluster, network, config);
        }
    }

    private void SyncWaypoints(ClusterState cluster, LabNetwork network, ClusterConfig config)
    {
        var wanted = cluster.Pods
            .Where(p => WaypointManifests.IsWaypointPod(p) && p.Status.PodIP is not null && network.HasPod(p.QualifiedName))
            .ToDictionary(p => p.QualifiedName, StringComparer.Ordinal);
        foreach (var (key, address) in _waypointPods.ToList())
        {
            if (!wanted.TryGetValue(key, out var pod) || !pod.Status.PodIP!.Equals(address))
            {
                RemoveWaypointLocked(key);
            }
        }

        _waypoint?.Update(cluster);
        foreach (var pod in wanted.Values.Where(p => !_waypointPods.ContainsKey(p.QualifiedName)))
        {
            try
            {
                if (_waypoint is null)
                {
                    _authority ??= MeshCertificateAuthority.LoadOrCreate(pkiDirectory, TimeProvider.System);
                    _waypoint = new WaypointProxy(cluster, _authority, config.MeshCertificateRotation, loggers, TimeProvider.System);
                    _waypoint.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
                }

                _waypoint.AddPod(pod, network.Pod(pod.QualifiedName));
                _waypointPods[pod.QualifiedName] = pod.Status.PodIP!;
            }
            catch (Exception e) when (e is InvalidOperationException or System.Net.Sockets.SocketException or ArgumentException or IOException)
            {
                LogJoinFailed(pod.QualifiedName, e.Message);
            }
        }
    }

    private void RemoveWaypointLocked(string key)
    {
        if (_waypointPods.Remove(key))
        {
            _waypoint?.RemovePod(PodId.Parse(key));
        }
    }

    /// <summary>Takes pods out of the mesh before their network goes (they move or leave).</summary>
    public void Remove(IEnumerable<string> pods)
    {
        lock (_gate)
        {
            foreach (var key in pods)
            {
                RemoveLocked(key);
                RemoveWaypointLocked(key);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<MeshNodeProxy> proxies;
        WaypointProxy? waypoint;
        lock (_gate)
        {
            proxies = [.. _proxies.Values];
            _proxies.Clear();
            _members.Clear();
            _waypointPods.Clear();
            (waypoint, _waypoint) = (_waypoint, null);
        }

        foreach (var proxy in proxies)
        {
            await proxy.DisposeAsync();
        }

        if (waypoint is not null)
        {
            await waypoint.DisposeAsync();
        }

        _authority?.Dispose();
    }

    private void RemoveLocked(string key)
    {
        if (_members.Remove(key, out var member) && _proxies.TryGetValue(member.Node, out var proxy))
        {
            proxy.RemovePod(PodId.Parse(key));
        }
    }

    private MeshNodeProxy ProxyFor(string node, ClusterState cluster, LabNetwork network, ClusterConfig config)
    {
        if (!_proxies.TryGetValue(node, out var proxy))
        {
            _authority ??= MeshCertificateAuthority.LoadOrCreate(pkiDirectory, TimeProvider.System);
            proxy = new MeshNodeProxy(node, cluster, _authority, config.MeshCertificateRotation, loggers, TimeProvider.System);

            // Kestrel's start on the pods' transport binds nothing of its own: it returns at once.
            proxy.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
            try
            {
                proxy.ServeMetrics(network.Node(node), network.NodePlan(node).Address);
            }
            catch (System.Net.Sockets.SocketException e)
            {
                // The mesh works without its metrics; say why they are missing.
                LogMetricsUnavailable(node, e.Message);
            }

            _proxies[node] = proxy;
        }

        return proxy;
    }

    [LoggerMessage(EventId = 1820, Level = LogLevel.Warning, Message = "Mesh: {Pod} could not join the mesh: {Reason}")]
    private partial void LogJoinFailed(string pod, string reason);

    [LoggerMessage(EventId = 1821, Level = LogLevel.Warning, Message = "Mesh: node {Node}'s proxy cannot serve its metrics on port 15020: {Reason}")]
    private partial void LogMetricsUnavailable(string node, string reason);
}
