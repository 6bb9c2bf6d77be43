using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Maille.Dataplane.Linux.Ebpf;
using Maille.Dataplane.Linux.Lab;
using Maille.Model;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Labs;

/// <summary>
/// The process that keeps a lab alive. At start it reads the lab's state, plans the cluster, rebuilds the lab's
/// network from scratch (whatever a crashed predecessor left is removed first: the daemon converges on what should
/// exist), except that with node agent processes (nftables) it takes over a predecessor's network that is the plan's,
/// and the agents running in it (<see cref="LabController.AdoptsNetwork"/>), serves every pod's declared ports from one in-process server (sockets
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

    /// <summary>
    /// Each node's Service proxy and policy enforcer run as a <c>maille agent</c> process inside the node's namespace, an
    /// API client with the node's certificate (<c>maille up --agents process</c>); else in the daemon.
    /// </summary>
    public bool AgentsAsProcesses { get; init; }

    /// <summary>
    /// The flow observer's queue between the nodes' kernels and the daemon (<c>maille up --flow-queue</c>; 0: the
    /// default): events beyond it are dropped and counted in <c>maille observe</c>.
    /// </summary>
    public int FlowQueue { get; init; }

    /// <summary>
    /// The lab's data plane (<c>maille up --dataplane</c>). With <see cref="DataplaneKind.Ebpf"/> the daemon joins the lab's
    /// own cgroup before it opens any socket (its pods' sockets and every program it starts belong to it), and each
    /// node gets a <see cref="NodeAgents.SocketLoadBalancerPart"/> on that cgroup beside an nftables Service proxy that
    /// leaves ClusterIPs to it, and a <see cref="NodeAgents.PodPolicyPart"/> (NetworkPolicy at tc on each pod's veth) in
    /// place of the nftables <see cref="NodeAgents.NodePolicyEnforcer"/> (docs/ebpf-dataplane.md). With
    /// <see cref="AgentsAsProcesses"/> those parts run in each node's agent process instead, which pins its maps and
    /// links in the lab's bpffs (<see cref="LabState.BpfDirectory"/>, mounted here).
    /// </summary>
    public DataplaneKind SelectedDataplane { get; init; }

    private string AgentsName => AgentsAsProcesses ? "process" : "inline";

    private string DataplaneName => SelectedDataplane == DataplaneKind.Ebpf ? "ebpf" : "nftables";

    public async Task<int> RunAsync(CancellationToken stopping)
    {
        var started = Stopwatch.StartNew();
        state.WriteStatus(new LabStatus { Phase = LabStatus.Starting, Mode = ModeName(mode), FlushDeniedConnections = FlushDeniedConnections, Agents = AgentsName, Dataplane = DataplaneName, Since = DateTimeOffset.UtcNow });
        LabCgroup? cgroup = null;
        if (SelectedDataplane == DataplaneKind.Ebpf)
        {
            try
            {
                cgroup = JoinLabCgroup();
                if (AgentsAsProcesses)
                {
                    // Where the agents pin their maps and links, so that an agent's end leaves its node's hooks running.
                    LabBpfFs.Mount(state.BpfDirectory);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                LogFailed(e.Message);
                state.WriteStatus(new LabStatus { Phase = LabStatus.Failed, Message = e.Message, Mode = ModeName(mode), FlushDeniedConnections = FlushDeniedConnections, Agents = AgentsName, Dataplane = DataplaneName, Since = DateTimeOffset.UtcNow });
                return 1;
            }
        }

        await using var controller = new LabController(state, mode, loggers, (node, ns) => AgentsAsProcesses ? NodeAgents.NodeAgentParts.None : new NodeAgents.NodeAgentParts
        {
            Services = new NodeAgents.ServiceProxyPart(new Dataplane.Linux.Nftables.NodeServiceProxy(ns, node, new Dataplane.Linux.Nftables.NodeServiceProxyOptions { ClusterIPAtSocket = cgroup is not null })),
            Policy = cgroup is not null ? null : new NodeAgents.NodePolicyEnforcer(ns, node, new NodeAgents.NodePolicyEnforcerOptions { FlushDeniedConnections = FlushDeniedConnections }),
            PodPolicy = cgroup is null ? null : new NodeAgents.PodPolicyPart(new NodePodPolicy(ns, node), cluster => PodVeths(cluster, node), FlushDeniedConnections),
            SocketLoadBalancer = cgroup is null ? null : new NodeAgents.SocketLoadBalancerPart(
                new NodeSocketLoadBalancer(ns, node, cgroup, cluster => PodNamespaces(cluster, node), LabNames.NodeInterface), cgroup.Path),
        })
        {
            AgentsAsProcesses = AgentsAsProcesses,
            // The eBPF agents' hooks live in the lab's cgroup and bpffs, which a restart makes again: not taken over yet.
            AdoptsNetwork = AgentsAsProcesses && SelectedDataplane == DataplaneKind.Nftables,
        };
        TimeSpan networkTime;
        try
        {
            networkTime = await controller.StartAsync(stopping);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or ExternalException or ArgumentException or UnauthorizedAccessException or SocketException or FormatException)
        {
            LogFailed(e.Message);
            state.WriteStatus(new LabStatus { Phase = LabStatus.Failed, Message = e.Message, Mode = ModeName(mode), FlushDeniedConnections = FlushDeniedConnections, Agents = AgentsName, Dataplane = DataplaneName, Since = DateTimeOffset.UtcNow });
            return 1;
        }

        // Read before the probe loop starts: from then on the loop owns the prober's state.
        string[] notReady = [.. controller.Readiness.NotReady];
        var credentials = Api.LabCredentials.LoadOrCreate(state.PkiDirectory);
        var agentListeners = AgentsAsProcesses ? ListenInNodes(controller) : [];
        await using var flows = StartFlows(controller);
        await using var api = new Api.LabApiServer(controller.Store, state.ApiSocket, controller, new Api.LabApiHttps(ApiPort, credentials) { NamespaceListeners = agentListeners }) { Flows = flows };
        try
        {
            await api.StartAsync(stopping);
        }
        catch (IOException e)
        {
            var message = $"the API cannot listen on 127.0.0.1:{ApiPort}: {e.Message}";
            LogFailed(message);
            state.WriteStatus(new LabStatus { Phase = LabStatus.Failed, Message = message, Mode = ModeName(mode), FlushDeniedConnections = FlushDeniedConnections, Agents = AgentsName, Dataplane = DataplaneName, Since = DateTimeOffset.UtcNow });
            return 1;
        }

        if (AgentsAsProcesses)
        {
            var processes = new LabAgentProcesses(state, _logger, node => AgentArguments(state, credentials, controller, node, cgroup), controller.Published.Nodes.Select(n => n.Name));
            var synced = await controller.StartAgentProcessesAsync(processes, AgentStartLimit, stopping);
            LogAgentsStarted(synced.Count, controller.Published.Nodes.Count);
        }

        var probing = controller.Readiness.RunAsync(stopping);
        var cluster = controller.Published;
        var stopped = controller.StoppedNodes;
        state.WriteStatus(new LabStatus
        {
            Phase = LabStatus.Ready,
            NotReady = notReady,
            StoppedNodes = [.. stopped.Order(StringComparer.Ordinal)],
            OnStoppedNodes = [.. cluster.Pods.Where(p => p.Spec.NodeName is { } node && stopped.Contains(node)).Select(p => p.QualifiedName).Order(StringComparer.Ordinal)],
            Mode = ModeName(mode),
            FlushDeniedConnections = FlushDeniedConnections,
            Agents = AgentsName,
            Dataplane = DataplaneName,
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

    /// <summary>
    /// Reads every node's new connections and logged denials (<c>maille observe</c>), named with the state the API
    /// serves and, for denials, the plan each node's enforcer applied when it runs here.
    /// </summary>
    private Observe.FlowObserver StartFlows(LabController controller)
    {
        var options = new Observe.FlowObserverOptions();
        var flows = new Observe.FlowObserver(
            () => controller.Store.Current.Cluster,
            node => controller.Agents.TryGetValue(node, out var agent) ? agent.Policy?.Applied?.Plan ?? agent.PodPolicy?.Plan : null,
            TimeProvider.System,
            FlowQueue > 0 ? options with { QueueCapacity = FlowQueue } : options);
        flows.Start(controller.Published.Nodes.Select(n => (n.Name, controller.Network.Node(n.Name))), Dataplane.Nftables.PolicyDenialLog.DefaultGroup);
        // The ebpf data plane's tc programs report denials in a ring buffer of their own, read by their node's part.
        foreach (var (node, agent) in controller.Agents)
        {
            if (agent.PodPolicy is { } podPolicy)
            {
                flows.ReadDenials(node, podPolicy.ReadDenials);
            }
        }

        foreach (var error in flows.Errors)
        {
            LogFlowsUnread(error);
        }

        return flows;
    }

    /// <summary>How long <c>up</c> waits for the agent processes' first sync (each starts a .NET process and lists the API).</summary>
    private static readonly TimeSpan AgentStartLimit = TimeSpan.FromSeconds(60);

    /// <summary>A listening socket on 127.0.0.1:<see cref="LabAgentProcesses.NodeApiPort"/> inside each node's namespace.</summary>
    private static List<Socket> ListenInNodes(LabController controller) =>
        [.. controller.Published.Nodes.Select(n =>
        {
            var socket = controller.Network.Node(n.Name).CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, LabAgentProcesses.NodeApiPort));
            socket.Listen(512);
            return socket;
        })];

    /// <summary>
    /// The agent's files (its kubeconfig with the node's own certificate, the lab's configuration; 0600 in a 0700
    /// folder) and its arguments after <c>--node</c>. With the ebpf data plane (<paramref name="cgroup"/>), the lab's
    /// cgroup as the agent can open it (through this process's mount namespace: <c>ip netns exec</c> gives the agent a
    /// fresh sysfs without the cgroup mounts) and its node's folder of the lab's bpffs.
    /// </summary>
    private IReadOnlyList<string> AgentArguments(LabState state, Api.LabCredentials credentials, LabController controller, string node, LabCgroup? cgroup)
    {
        var directory = LabAgentProcesses.Directory(state);
        PrivateFiles.CreateDirectory(directory);
        var (certificate, key) = Api.LabCredentials.ForNode(state.PkiDirectory, node);
        var kubeconfig = Path.Combine(directory, $"{node}.kubeconfig");
        PrivateFiles.Write(kubeconfig, Api.LabKubeconfig.ForNodeAgent(state.Lab, node, LabAgentProcesses.NodeApiPort, credentials, certificate, key));
        var config = Path.Combine(directory, "config.yaml");
        PrivateFiles.Write(config, Kube.ClusterConfigWriter.Render(controller.Published.Config));
        string[] flush = FlushDeniedConnections ? ["--flush-denied-connections"] : [];
        string[] ebpf = cgroup is null ? [] :
            ["--dataplane", "ebpf", "--cgroup", $"/proc/{Environment.ProcessId}/root{cgroup.Path}", "--bpf-pins", Path.Combine(state.BpfDirectory, node)];
        return ["--kubeconfig", kubeconfig, "--config", config, "--parts", "service-proxy,network-policy", .. flush, .. ebpf];
    }

    /// <summary>
    /// Moves this process into the lab's cgroup, made for it (a stale one of a crashed daemon is joined as it is: its
    /// programs left with that daemon, or with its bpffs, which <see cref="LabBpfFs.Mount"/> replaces). The agent
    /// processes it starts are its children, so they are in it too.
    /// </summary>
    private LabCgroup JoinLabCgroup()
    {
        var cgroup = LabCgroup.For(state.Lab);
        cgroup.Join(Environment.ProcessId);
        return cgroup;
    }

    /// <summary>The namespaces of <paramref name="node"/>'s pods in <paramref name="cluster"/>: those its socket hooks act on, with the node's own.</summary>
    private List<string> PodNamespaces(Engine.ClusterState cluster, string node) =>
        [.. LabTopologyMapper.LabPods(cluster).Where(p => p.Spec.NodeName == node).Select(p => LabNamespaces.Pod(state.Lab, p.QualifiedName))];

    /// <summary>The node-side veths of the node's pods (the ebpf data plane's NetworkPolicy programs go on each).</summary>
    private static HashSet<string> PodVeths(Engine.ClusterState cluster, string node) =>
        [.. LabTopologyMapper.LabPods(cluster).Where(p => p.Spec.NodeName == node).Select(p => Dataplane.Linux.Lab.LabNames.PodHostInterface(p.QualifiedName))];

    public static string ModeName(LabNetworkMode mode) => mode == LabNetworkMode.Vxlan ? "vxlan" : "routed";

    /// <summary>A daemon for the mode <c>--mode</c> names (<c>vxlan</c>, else routed).</summary>
    public static LabDaemon For(LabState state, string mode, ILoggerFactory loggers, bool flushDeniedConnections, int apiPort, bool agentsAsProcesses = false, int flowQueue = 0, DataplaneKind dataplane = DataplaneKind.Nftables) =>
        new(state, mode == "vxlan" ? LabNetworkMode.Vxlan : LabNetworkMode.Routed, loggers) { FlushDeniedConnections = flushDeniedConnections, ApiPort = apiPort, AgentsAsProcesses = agentsAsProcesses, FlowQueue = flowQueue, SelectedDataplane = dataplane };
}
