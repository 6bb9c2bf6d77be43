using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Engine;
using Maille.Lab.Workloads;
using Maille.Model;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Labs;

/// <summary>
/// What runs inside a lab's pods and for them: the pods' ports and programs (one server for every pod), the cluster DNS
/// and the Ingress proxy, and each pod's <c>resolv.conf</c>. The controller decides when; this type knows how.
/// </summary>
internal sealed class LabWorkloadHost : IAsyncDisposable
{
    private readonly Func<LabNetwork?> _network;
    private readonly PodServerHost _server;
    private readonly Dns.ClusterDnsServer _dns;
    private readonly Ingresses.IngressProxy _ingress;
    private readonly PodWorkloads _workloads;
    private readonly Mesh.LabMesh _mesh;
    private ClusterConfig _config = ClusterConfig.Default;

    /// <param name="published">The state the cluster DNS answers from.</param>
    /// <param name="network">The lab's network, once built.</param>
    /// <param name="logger">The controller's logger: the workloads log under its category, as they did before it was split.</param>
    /// <param name="pkiDirectory">Where the lab keeps its keys: the mesh's authority joins them when a pod first joins the mesh.</param>
    public LabWorkloadHost(Func<ClusterState> published, Func<LabNetwork?> network, ILoggerFactory loggers, ILogger logger, string pkiDirectory)
    {
        _mesh = new Mesh.LabMesh(pkiDirectory, loggers);
        _network = network;
        _server = new PodServerHost(new PodServerOptions(), loggers, TimeProvider.System);
        _dns = new Dns.ClusterDnsServer(published, new Dns.ClusterDnsServerOptions(), loggers, TimeProvider.System);
        _ingress = new Ingresses.IngressProxy(new Ingresses.IngressProxyOptions(), new Ingresses.PodNamespaceUpstreamConnector(IngressPodNamespace), loggers, TimeProvider.System);
        _workloads = new PodWorkloads(_server, _dns, _ingress, logger);
    }

    public int PortCount => _workloads.PortCount;

    /// <summary>The pods' logs (kubectl logs).</summary>
    public Workloads.PodLogs Logs => _server.Logs;

    private LabNetwork Network => _network() ?? throw new InvalidOperationException("the lab has not started");

    /// <summary>Starts the pods' server, the cluster DNS, and the Ingress proxy with <paramref name="planned"/>'s Ingresses.</summary>
    public async Task StartServicesAsync(ClusterState planned, ClusterConfig config, CancellationToken cancellationToken)
    {
        _config = config;
        await _server.StartAsync(cancellationToken);
        _dns.Start();
        _ingress.Update(planned);
        await _ingress.StartAsync(cancellationToken);
    }

    /// <summary>The pods in the mesh, served by their nodes' proxies.</summary>
    public IReadOnlyCollection<string> MeshMembers => _mesh.Members;

    /// <summary>The certificate the mesh presents for a pod now (<c>namespace/name</c>), or null when it is not a member.</summary>
    public Kube.Views.MeshCertificateFacts? MeshCertificate(string pod) => _mesh.CertificateOf(pod);

    public Engine.Mesh.MeshVerdict? MeshDecision(System.Net.IPAddress source, string pod, int port) => _mesh.Decide(source, pod, port);

    /// <summary>Hands the Ingress proxy the routes, and the node proxies of the mesh the pods and policies, of a newly published state.</summary>
    public void Publish(ClusterState cluster)
    {
        _ingress.Update(cluster);
        if (_network() is { } network)
        {
            _mesh.Sync(cluster, network, _config);
        }
    }

    /// <summary>Each pod's <c>resolv.conf</c> (cluster DNS first, the pod's namespace in the search path), which programs run with <c>maille exec</c> see.</summary>
    public static void WriteResolvConf(ClusterState planned, IEnumerable<PodNetworkPlan> pods, ClusterConfig config)
    {
        foreach (var pod in pods)
        {
            if (planned.PodsByName.TryGetValue(pod.Key, out var described) && Engine.Dns.PodResolvConf.For(described, config) is { } text)
            {
                NetworkNamespace.WriteEtcFile(pod.Namespace, "resolv.conf", text);
            }
        }
    }

    /// <summary>
    /// Stops the programs of pods that move (their network is about to be replaced), that no longer run, or that run
    /// otherwise than <paramref name="planned"/> describes; the <paramref name="departing"/> pods keep running.
    /// </summary>
    public void StopOutdated(ClusterState planned, IReadOnlySet<string> moved, IReadOnlySet<string> departing)
    {
        var runnable = Runnable(planned).ToDictionary(p => p.QualifiedName, StringComparer.Ordinal);
        _mesh.Remove(moved);
        foreach (var key in _workloads.Pods.Where(k => !departing.Contains(k) && (moved.Contains(k) || !runnable.TryGetValue(k, out var pod) || !_workloads.RunsAsDescribed(pod))).ToList())
        {
            _workloads.Stop(key);
        }
    }

    /// <summary>Starts every runnable pod that does not run yet as described.</summary>
    public void StartWorkloads(ClusterState planned)
    {
        var network = Network;
        foreach (var pod in Runnable(planned).Where(p => !_workloads.RunsAsDescribed(p)))
        {
            _workloads.Stop(pod.QualifiedName);
            _workloads.Start(pod, pod.Spec.HostNetwork ? network.Node(pod.Spec.NodeName!) : network.Pod(pod.QualifiedName));
        }

        _mesh.Sync(planned, network, _config);
    }

    /// <summary>Stops the programs of pods that left the plan and removes their network.</summary>
    public void RemoveDeparted(IReadOnlyList<string> departed)
    {
        _mesh.Remove(departed);
        foreach (var key in departed)
        {
            _workloads.Stop(key);
        }

        LabNetworkBuilder.RemovePods(Network, departed);
    }

    /// <summary>Whatever happened once programs may have started: they stop, the ports close, the handles go.</summary>
    public async ValueTask DisposeAsync()
    {
        await _mesh.DisposeAsync();
        _workloads.StopAll();
        await _server.StopAsync(CancellationToken.None);
        await _server.DisposeAsync();
        await _dns.DisposeAsync();
        await _ingress.StopAsync(CancellationToken.None);
        await _ingress.DisposeAsync();
    }

    /// <summary>The pods that run something: scheduled, addressed, and with a namespace (or their node's).</summary>
    private IEnumerable<Pod> Runnable(ClusterState planned) =>
        planned.Pods.Where(p => p.Status.PodIP is not null && p.Spec.NodeName is not null && (p.Spec.HostNetwork || Network.HasPod(p.QualifiedName)));

    /// <summary>The namespace of an Ingress controller pod, where the proxy opens its connections to backends.</summary>
    private NetworkNamespace? IngressPodNamespace(PodId pod) =>
        _network() is { } network && network.HasPod($"{pod.Namespace}/{pod.Name}") ? network.Pod($"{pod.Namespace}/{pod.Name}") : null;
}
