using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Maille.Dataplane.Linux.Lab;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Labs;

/// <summary>
/// The process that keeps a lab alive. At start it reads the lab's state, plans the cluster, rebuilds the lab's
/// network from scratch (whatever a crashed predecessor left is removed first: the daemon converges on what should
/// exist, with no special case for a restart), serves every pod's declared ports from one in-process server (sockets
/// opened inside each pod's namespace), runs the programs of containers that have a <c>command</c> inside their pod's
/// namespace, reports <c>Ready</c>, and waits for SIGTERM. The network stays until <c>maille down</c> removes it.
/// </summary>
public sealed partial class LabDaemon(LabState state, LabNetworkMode mode, ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger<LabDaemon>();

    /// <summary>
    /// Each node's policy enforcer cuts the connections a policy change now denies (<c>maille up
    /// --flush-denied-connections</c>; docs/networkpolicy-dataplane.md#established-connections).
    /// </summary>
    public bool FlushDeniedConnections { get; init; }

    /// <summary>The API's HTTPS port on 127.0.0.1 (<c>maille up --api-port</c>); 0 lets the system choose one.</summary>
    public int ApiPort { get; init; }

    public async Task<int> RunAsync(CancellationToken stopping)
    {
        var started = Stopwatch.StartNew();
        state.WriteStatus(new LabStatus { Phase = LabStatus.Starting, Mode = ModeName(mode), FlushDeniedConnections = FlushDeniedConnections, Since = DateTimeOffset.UtcNow });
        await using var controller = new LabController(state, mode, loggers, (node, ns) => new NodeAgents.NodeAgentParts
        {
            Services = new NodeAgents.ServiceProxyPart(new Dataplane.Linux.Nftables.NodeServiceProxy(ns, node)),
            Policy = new NodeAgents.NodePolicyEnforcer(ns, node, new NodeAgents.NodePolicyEnforcerOptions { FlushDeniedConnections = FlushDeniedConnections }),
        });
        TimeSpan networkTime;
        try
        {
            networkTime = await controller.StartAsync(stopping);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or ExternalException or ArgumentException or UnauthorizedAccessException or SocketException or FormatException)
        {
            LogFailed(e.Message);
            state.WriteStatus(new LabStatus { Phase = LabStatus.Failed, Message = e.Message, Mode = ModeName(mode), FlushDeniedConnections = FlushDeniedConnections, Since = DateTimeOffset.UtcNow });
            return 1;
        }

        // Read before the probe loop starts: from then on the loop owns the prober's state.
        string[] notReady = [.. controller.Readiness.NotReady];
        await using var api = new Api.LabApiServer(controller.Store, state.ApiSocket, controller, new Api.LabApiHttps(ApiPort, Api.LabCredentials.LoadOrCreate(state.PkiDirectory)));
        try
        {
            await api.StartAsync(stopping);
        }
        catch (IOException e)
        {
            var message = $"the API cannot listen on 127.0.0.1:{ApiPort}: {e.Message}";
            LogFailed(message);
            state.WriteStatus(new LabStatus { Phase = LabStatus.Failed, Message = message, Mode = ModeName(mode), FlushDeniedConnections = FlushDeniedConnections, Since = DateTimeOffset.UtcNow });
            return 1;
        }

        var probing = controller.Readiness.RunAsync(stopping);
        var cluster = controller.Published;
        state.WriteStatus(new LabStatus
        {
            Phase = LabStatus.Ready,
            NotReady = notReady,
            Mode = ModeName(mode),
            FlushDeniedConnections = FlushDeniedConnections,
            ApiPort = api.HttpsPort,
            Nodes = cluster.Nodes.Count,
            Pods = cluster.Pods.Count(p => p.Status.PodIP is not null),
            Ports = controller.PortCount,
            NetworkMilliseconds = networkTime.TotalMilliseconds,
            ServingMilliseconds = (started.Elapsed - networkTime).TotalMilliseconds,
            Since = DateTimeOffset.UtcNow,
        });
        LogReady(cluster.Nodes.Count, controller.PortCount, started.Elapsed.TotalMilliseconds);

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

    /// <summary>A daemon for the mode <c>--mode</c> names (<c>vxlan</c>, else routed).</summary>
    public static LabDaemon For(LabState state, string mode, ILoggerFactory loggers, bool flushDeniedConnections, int apiPort) =>
        new(state, mode == "vxlan" ? LabNetworkMode.Vxlan : LabNetworkMode.Routed, loggers) { FlushDeniedConnections = flushDeniedConnections, ApiPort = apiPort };
}
