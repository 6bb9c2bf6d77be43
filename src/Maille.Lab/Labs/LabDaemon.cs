using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Engine;
using Maille.Kube;
using Maille.Lab.Workloads;
using Maille.Model;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Labs;

/// <summary>
/// The process that keeps a lab alive. At start it reads the lab's state, plans the cluster, rebuilds the lab's
/// network from scratch (whatever a crashed predecessor left is removed first: the daemon converges on what should
/// exist, with no special case for a restart), serves every pod's declared ports from one in-process server (sockets
/// opened inside each pod's namespace), runs the programs of containers that have a <c>command</c> inside their pod's
/// namespace, reports <c>Ready</c>, and waits for SIGTERM. The network stays until <c>maille down</c> removes it.
/// </summary>
internal sealed partial class LabDaemon(LabState state, LabNetworkMode mode, ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger<LabDaemon>();
    private readonly List<Process> _programs = [];

    public async Task<int> RunAsync(CancellationToken stopping)
    {
        var started = Stopwatch.StartNew();
        state.WriteStatus(new LabStatus { Phase = LabStatus.Starting, Mode = ModeName(mode), Since = DateTimeOffset.UtcNow });
        ClusterState cluster;
        LabNetwork network;
        try
        {
            cluster = LoadCluster(state);
            var removed = LabNetworkBuilder.Teardown(state.Lab);
            if (removed > 0)
            {
                LogRemovedLeftovers(removed);
            }

            network = LabNetworkBuilder.Build(state.Lab, LabTopologyMapper.Map(cluster, mode));
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or ExternalException or ArgumentException or UnauthorizedAccessException)
        {
            LogFailed(e.Message);
            state.WriteStatus(new LabStatus { Phase = LabStatus.Failed, Message = e.Message, Mode = ModeName(mode), Since = DateTimeOffset.UtcNow });
            return 1;
        }

        var networkTime = started.Elapsed;
        await using var server = new PodServerHost(new PodServerOptions(), loggers, TimeProvider.System);
        try
        {
            return await ServeUntilStoppedAsync(cluster, network, server, started, networkTime, stopping);
        }
        finally
        {
            // Whatever happened once programs may have started: they stop, the ports close, the handles go.
            StopPrograms();
            await server.StopAsync(CancellationToken.None);
            network.Dispose();
        }
    }

    /// <summary>Serves the pods, probes readiness, answers the API and waits for SIGTERM; the caller cleans up.</summary>
    private async Task<int> ServeUntilStoppedAsync(ClusterState cluster, LabNetwork network, PodServerHost server, Stopwatch started, TimeSpan networkTime, CancellationToken stopping)
    {
        int ports;
        try
        {
            await server.StartAsync(stopping);
            ports = Serve(cluster, network, server);
        }
        catch (Exception e) when (e is SocketException or InvalidOperationException or ArgumentException or IOException)
        {
            LogFailed(e.Message);
            state.WriteStatus(new LabStatus { Phase = LabStatus.Failed, Message = e.Message, Mode = ModeName(mode), Since = DateTimeOffset.UtcNow });
            return 1;
        }

        var readiness = new ReadinessProber(cluster, network, state, _logger, TimeProvider.System);
        await readiness.ProbeDueAsync(stopping);
        state.WriteReadiness(readiness.Readiness);

        // Read before the probe loop starts: from then on the loop owns the prober's state.
        string[] notReady = [.. readiness.NotReady];
        var store = new Api.LabStore(LoadCluster(state, live: true));
        readiness.Changed += () => store.Update(LoadCluster(state, live: true));
        await using var api = new Api.LabApiServer(store, state.ApiSocket);
        await api.StartAsync(stopping);
        var probing = readiness.RunAsync(stopping);
        state.WriteStatus(new LabStatus
        {
            Phase = LabStatus.Ready,
            NotReady = notReady,
            Mode = ModeName(mode),
            Nodes = cluster.Nodes.Count,
            Pods = cluster.Pods.Count(p => p.Status.PodIP is not null),
            Ports = ports,
            NetworkMilliseconds = networkTime.TotalMilliseconds,
            ServingMilliseconds = (started.Elapsed - networkTime).TotalMilliseconds,
            Since = DateTimeOffset.UtcNow,
        });
        LogReady(cluster.Nodes.Count, ports, started.Elapsed.TotalMilliseconds);

        try
        {
            await Task.Delay(Timeout.Infinite, stopping);
        }
        catch (OperationCanceledException)
        {
            LogStopping();
        }

        try
        {
            await probing;
        }
        catch (OperationCanceledException)
        {
            // The probe loop ends with the daemon.
        }

        return 0;
    }

    public static string ModeName(LabNetworkMode mode) => mode == LabNetworkMode.Vxlan ? "vxlan" : "routed";

    /// <summary>
    /// Plans the cluster from the lab's saved input exactly as <c>maille up</c> validated it; with
    /// <paramref name="live"/>, pod readiness is what the daemon's probes last observed.
    /// </summary>
    public static ClusterState LoadCluster(LabState state, bool live = false)
    {
        var config = ClusterConfig.Default;
        if (File.Exists(state.ConfigFile))
        {
            var (loaded, configErrors) = ClusterConfigLoader.Load(state.ConfigFile, File.ReadAllText(state.ConfigFile));
            config = loaded ?? throw new InvalidOperationException(string.Join("; ", configErrors.Where(d => d.IsError)));
        }

        var (manifests, diagnostics) = ManifestLoader.Load([new ManifestSource(state.ManifestsFile, File.ReadAllText(state.ManifestsFile))]);
        var result = ClusterPlanner.Plan(manifests, config, diagnostics, live ? state.ReadReadiness() : null);
        return result.Cluster ?? throw new InvalidOperationException("the lab's manifests no longer plan: " + string.Join("; ", result.Errors));
    }

    /// <summary>Opens every declared port of every pod inside the pod's namespace (hostNetwork pods: their node's) and hands it to the server.</summary>
    private int Serve(ClusterState cluster, LabNetwork network, PodServerHost server)
    {
        var count = 0;
        foreach (var pod in cluster.Pods.Where(p => p.Status.PodIP is not null && p.Spec.NodeName is not null))
        {
            var id = PodId.From(pod);
            var ns = pod.Spec.HostNetwork ? network.Node(pod.Spec.NodeName!) : network.Pod(pod.QualifiedName);
            // The server's own /healthz says the server is up; readiness is what the probes observe, kept apart so a
            // probe on /healthz does not wait for itself.
            server.SetPod(id, ready: true);
            foreach (var container in pod.Spec.Containers)
            {
                if (RunsOwnProgram(container))
                {
                    StartProgram(ns, pod, container);
                    continue;
                }

                foreach (var port in container.Ports.Where(p => p.Protocol != Protocol.SCTP))
                {
                    var socket = OpenSocket(ns, pod.Status.PodIP!, port);
                    server.AddPort(new PodPort(id, port.Protocol, port.Port), socket);
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>
    /// A container runs its own <c>command</c>, except agnhost's (the Kubernetes e2e test server): the built-in server
    /// answers in its place, since it speaks the same endpoints, and upstream-style manifests then work unchanged.
    /// </summary>
    public static bool RunsOwnProgram(Container container) =>
        !container.Command.IsEmpty && Path.GetFileName(container.Command[0]) != "agnhost";

    private static Socket OpenSocket(NetworkNamespace ns, IPAddress address, ContainerPort port) => ns.RunInside(() =>
    {
        var tcp = port.Protocol == Protocol.TCP;
        var socket = new Socket(AddressFamily.InterNetwork, tcp ? SocketType.Stream : SocketType.Dgram, tcp ? ProtocolType.Tcp : ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(address, port.Port));
            if (tcp)
            {
                socket.Listen(512);
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    });

    /// <summary>Runs a container's own program inside the pod's namespace (through iproute2's <c>ip netns exec</c>).</summary>
    private void StartProgram(NetworkNamespace ns, Pod pod, Container container)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = false, RedirectStandardError = false, UseShellExecute = false };
        foreach (var argument in new[] { "netns", "exec", ns.Name }.Concat(container.Command).Concat(container.Args))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start the program of {pod.QualifiedName} container {container.Name}");
        _programs.Add(process);
        LogProgramStarted(pod.QualifiedName, container.Name, container.Command[0], process.Id);
    }

    private void StopPrograms()
    {
        foreach (var process in _programs)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }

            process.Dispose();
        }

        _programs.Clear();
    }
}
