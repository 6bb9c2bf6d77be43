using System.CommandLine;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using k8s;
using k8s.Exceptions;
using Maille.Kube;
using Maille.Kube.Live;
using Maille.Lab.Agent;
using Microsoft.Extensions.Logging;

namespace Maille.Cli.Lab;

/// <summary>
/// <c>maille agent --node NAME [--kubeconfig FILE] [--context NAME] [--parts service-proxy,network-policy,l2-announcer]
/// [--config FILE] [--allow-host-network] [--dataplane nftables|ebpf --cgroup PATH --bpf-pins DIR]</c>: one node's data plane as an API client (<see cref="NodeAgentHost"/>). In a
/// lab the daemon runs one per node inside the node's namespace; on a real cluster it is the <c>maille-agent</c>
/// DaemonSet's container (hostNetwork), with the in-cluster service account when no kubeconfig is given.
/// </summary>
internal static class AgentCommand
{
    /// <summary>As kube-proxy's 0.0.0.0:10256, on the agent's own port so that both can run on one node.</summary>
    private static readonly string DefaultHealthzBindAddress = $"0.0.0.0:{Engine.Workloads.NodeAgentManifests.HealthzPort}";

    public static Command Create(CliContext context)
    {
        var node = new Option<string>("--node") { Description = "The node this agent programs (its Node object's name).", Required = true };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "The kubeconfig to reach the API with; without it, the in-cluster service account." };
        var kubeContext = new Option<string?>("--context") { Description = "The kubeconfig's context (else its current one)." };
        var parts = new Option<string?>("--parts") { Description = "Comma-separated parts to run: service-proxy, network-policy, l2-announcer (default: all)." };
        var config = new Option<string?>("--config") { Description = "A ClusterConfig file (clusterCIDR, serviceCIDR, nodePortRange, loadBalancerPools)." };
        var flush = new Option<bool>("--flush-denied-connections") { Description = "Cut established connections that a policy change now denies." };
        var hostNetwork = new Option<bool>("--allow-host-network")
        {
            Description = "Program the machine's own network namespace (a hostNetwork DaemonSet on a real node). Without it the agent refuses to run in the initial namespace.",
        };
        var healthz = new Option<string>("--healthz-bind-address")
        {
            Description = $"Where to serve GET /healthz (200 once every part applied what was read, else 503), as kube-proxy does; \"\" turns it off (default {DefaultHealthzBindAddress}).",
            DefaultValueFactory = _ => DefaultHealthzBindAddress,
        };
        var dataplane = new Option<string>("--dataplane")
        {
            Description = "nftables (default), or ebpf on a lab's node: ClusterIPs translated at the socket by programs on --cgroup, NetworkPolicy at tc on the node's pods' veths, maps and links pinned in --bpf-pins so that they outlive the agent.",
            DefaultValueFactory = _ => "nftables",
        };
        dataplane.AcceptOnlyFromAmong("nftables", "ebpf");
        var cgroup = new Option<string?>("--cgroup") { Description = "With --dataplane ebpf: the lab's cgroup (v2) as this process can open it; the socket programs go on it." };
        var bpfPins = new Option<string?>("--bpf-pins") { Description = "With --dataplane ebpf: a folder in a bpffs where this node's maps and links are pinned (made if missing)." };
        var command = new Command("agent", """
            Run one node's data plane as an API client: the Service proxy (kube-proxy's role), NetworkPolicy
            enforcement and the LoadBalancer L2 announcer, programming nftables in the network namespace the agent runs
            in. It lists and watches Services, EndpointSlices, Nodes, Pods, Namespaces, NetworkPolicies and MetalLB's
            kinds (only what its parts need), keeps its rules while the API is away, repairs tables changed behind its
            back, and reports its status as the NodeAgent object of its node (maille.dev/v1alpha1).

            Examples:
              maille agent --node worker-1 --kubeconfig agent.kubeconfig --parts service-proxy,network-policy
              maille agent --node "$NODE_NAME" --allow-host-network          # in a DaemonSet pod
              curl -s http://127.0.0.1:10266/healthz                           # 200 once the node's rules are in place
              # what maille up --dataplane ebpf --agents process starts in node-1's namespace:
              maille agent --node node-1 --kubeconfig node-1.kubeconfig --dataplane ebpf \
                --cgroup /proc/DAEMON-PID/root/sys/fs/cgroup/unified/maille-shop --bpf-pins /run/maille/shop/bpf/node-1
            """)
        {
            node, kubeconfig, kubeContext, parts, config, flush, hostNetwork, healthz, dataplane, cgroup, bpfPins,
        };
        command.SetAction(parse =>
        {
            if (!OperatingSystem.IsLinux())
            {
                return Fail(context, "maille agent runs on Linux only");
            }

            var ebpf = parse.GetValue(dataplane) == "ebpf";
            var (cgroupPath, pins) = (parse.GetValue(cgroup), parse.GetValue(bpfPins));
            if (ebpf && (cgroupPath is null || pins is null))
            {
                return Fail(context, "--dataplane ebpf needs --cgroup (the lab's cgroup) and --bpf-pins (a folder of a bpffs)");
            }

            if (!ebpf && (cgroupPath is not null || pins is not null))
            {
                return Fail(context, "--cgroup and --bpf-pins go with --dataplane ebpf");
            }

            var options = new AgentOptions
            {
                Node = parse.GetValue(node)!,
                Parts = new HashSet<string>(StringComparer.Ordinal),
                FlushDeniedConnections = parse.GetValue(flush),
                Dataplane = ebpf ? Model.DataplaneKind.Ebpf : Model.DataplaneKind.Nftables,
                Cgroup = cgroupPath,
                BpfPins = pins,
            };
            return Run(context, options, parse.GetValue(kubeconfig), parse.GetValue(kubeContext), parse.GetValue(parts), parse.GetValue(config), parse.GetValue(hostNetwork), parse.GetValue(healthz)!);
        });
        return command;
    }

    private static int Fail(CliContext context, string message)
    {
        context.Stderr.WriteLine($"error: {message}");
        return 1;
    }

    /// <param name="options">The node, the data plane and its flags; parts and configuration are read here.</param>
    [SupportedOSPlatform("linux")]
    private static int Run(CliContext context, AgentOptions options, string? kubeconfig, string? kubeContext, string? partList, string? configFile, bool allowHostNetwork, string healthzBindAddress)
    {
        System.Net.IPEndPoint? healthzBind = null;
        if (healthzBindAddress.Length > 0 && (healthzBind = AgentHealth.ParseBindAddress(healthzBindAddress, out var bindError)) is null)
        {
            return Fail(context, bindError!);
        }

        var (parts, partsError) = AgentParts.Parse(partList);
        if (parts is null)
        {
            return Fail(context, partsError!);
        }

        // The network-safety rule of a lab machine: an agent started by hand on the host would rewrite the host's rules.
        if (!allowHostNetwork && NodeAgentHost.MayBeOnTheHostsOwnNetwork())
        {
            return Fail(context, "maille agent would program this machine's own network namespace: run it inside a node's namespace (a lab does), or pass --allow-host-network on a real node");
        }

        if (options.CgroupProblem() is { } problem)
        {
            return Fail(context, $"--cgroup: {problem}");
        }

        var clusterConfig = Model.ClusterConfig.Default;
        if (configFile is not null)
        {
            string text;
            try
            {
                text = File.ReadAllText(configFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Fail(context, $"--config {configFile}: {e.Message}");
            }

            var (loaded, diagnostics) = ClusterConfigLoader.Load(configFile, text);
            if (loaded is null)
            {
                foreach (var diagnostic in diagnostics)
                {
                    context.Stderr.WriteLine(diagnostic.ToString());
                }

                return 1;
            }

            clusterConfig = loaded;
        }

        IKubernetes client;
        try
        {
            client = kubeconfig is null && kubeContext is null && KubernetesClientConfiguration.IsInCluster()
                ? new Kubernetes(KubernetesClientConfiguration.InClusterConfig())
                : LiveClusterReader.Connect(kubeconfig, kubeContext).Client;
        }
        catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException)
        {
            return Fail(context, e.Message);
        }

        using var stopping = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stopping.Cancel();
        });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
        {
            signal.Cancel = true;
            stopping.Cancel();
        });
        using var loggers = LoggerFactory.Create(builder => builder.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ").SetMinimumLevel(LogLevel.Information));

        // libnftables' sockets want low descriptor numbers (LowDescriptors), taken before anything else opens files.
        Maille.Lab.Labs.LabNamespaces.ReserveLowDescriptors();
        AgentHealth? health = null;
        try
        {
            health = healthzBind is null ? null : AgentHealth.StartAsync(healthzBind).GetAwaiter().GetResult();
        }
        catch (IOException e)
        {
            return Fail(context, e.Message);
        }

        using var host = new NodeAgentHost(client, options with { Parts = parts, Config = clusterConfig }, loggers) { Health = health };
        using (client as IDisposable)
        {
            try
            {
                return host.RunAsync(stopping.Token).GetAwaiter().GetResult();
            }
            finally
            {
                health?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
    }
}
