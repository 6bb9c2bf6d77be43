using System.CommandLine;
using System.Diagnostics;
using System.Runtime.Versioning;
using Maille.Cli.Commands;
using Maille.Cli.Input;
using Maille.Lab.Labs;

namespace Maille.Cli.Lab;

/// <summary>
/// <c>maille up -f PATH… [--lab NAME] [--config FILE] [--mode routed|vxlan] [--wait SECONDS] [--flush-denied-connections]
/// [--api-port PORT] [--kubeconfig FILE] [--dataplane nftables|ebpf] [--mesh-certificate-rotation DURATION]</c>: validates and plans
/// the input exactly as the offline commands do, then starts the lab's daemon, which builds the network and serves the
/// pods, and returns when every pod is served. A failed <c>up</c> leaves nothing behind.
/// </summary>
internal static class UpCommand
{
    public static Command Create(CliContext context)
    {
        var files = CommonOptions.Files(required: false);
        var config = CommonOptions.Config();
        var lab = LabCommon.LabOption();
        var mode = new Option<string>("--mode") { Description = "How nodes carry pod traffic: routed (host-gw routes) or vxlan (an overlay)", DefaultValueFactory = _ => "routed" };
        mode.AcceptOnlyFromAmong("routed", "vxlan");
        var wait = new Option<int>("--wait") { Description = "Seconds to wait for every pod to be served", DefaultValueFactory = _ => 120 };
        var apiPort = new Option<int>("--api-port")
        {
            Description = "The API's HTTPS port on 127.0.0.1 (default: one the system chooses; a restart keeps the lab's)",
        };
        apiPort.Validators.Add(result =>
        {
            if (result.GetValue(apiPort) is < 0 or > 65535)
            {
                result.AddError($"--api-port {result.GetValue(apiPort)}: a port is 1 to 65535 (0: the system chooses)");
            }
        });
        var kubeconfig = LabCommon.KubeconfigOption();
        var flush = new Option<bool>("--flush-denied-connections")
        {
            Description = "After each policy change, cut the connections and UDP flows it now denies (delete their conntrack entries), instead of letting established ones live on",
        };
        var agents = new Option<string>("--agents")
        {
            Description = "Where each node's Service proxy and policy enforcer run: inline (in the lab's daemon) or process (a maille agent process per node, inside the node's namespace, an API client with the node's certificate; with --dataplane ebpf it loads its node's eBPF programs and pins them in the lab's bpffs)",
            DefaultValueFactory = _ => "inline",
        };
        agents.AcceptOnlyFromAmong("inline", "process");
        var flowQueue = new Option<int>("--flow-queue")
        {
            Description = "How many flow events (maille observe) may wait between the nodes' kernels and the daemon; more are dropped and counted (default 65536)",
        };
        flowQueue.Validators.Add(result =>
        {
            if (result.GetValue(flowQueue) < 0)
            {
                result.AddError($"--flow-queue {result.GetValue(flowQueue)}: a queue holds at least one event (0: the default)");
            }
        });
        var dataplane = new Option<string>("--dataplane")
        {
            Description = "How nodes translate Services: nftables (per packet, the default) or ebpf (ClusterIP at the socket by eBPF programs on the lab's cgroup, NodePorts, LoadBalancer IPs and externalIPs at the socket and at tc on each node's eth0, NetworkPolicy at tc). Default: the ClusterConfig's dataplane, else nftables",
        };
        dataplane.AcceptOnlyFromAmong("nftables", "ebpf");
        var rotation = new Option<string>("--mesh-certificate-rotation")
        {
            Description = "How often the node proxies replace each meshed pod's workload certificate, e.g. 30s, 10m or 12h (10s to 8760h). Default: the ClusterConfig's meshCertificateRotation, else 12h",
        };
        rotation.Validators.Add(result =>
        {
            if (result.GetValue(rotation) is { } text && Kube.ClusterConfigLoader.MeshCertificateRotation(text) is null)
            {
                result.AddError($"--mesh-certificate-rotation {text}: {Kube.ClusterConfigLoader.MeshCertificateRotationRule}");
            }
        });
        var command = new Command("up", """
            Build the planned cluster as a live lab on this machine (root): one network namespace per node and per pod,
            veth pairs, routes, every pod serving its declared ports (HTTP on TCP: /hostname, /clientip, /echo?msg=,
            and a JSON description of any other request; UDP: answers with the pod's name). Same addresses as the
            offline commands print. Nothing is added to the host's own network namespace.
            The lab's API listens over HTTPS on 127.0.0.1 (client certificates only), and the lab becomes kubectl's
            current context, maille-LAB, in your kubeconfig (see docs/kubectl.md).
            Without -f, restarts a lab whose daemon died (kill -9, crash) from its saved state: the new daemon
            reconciles the lab's network to what the saved manifests say. With --agents process (nftables) it takes
            the network over as it is and adopts the node agents still running in it (docs/node-agent.md).

            Examples:
              sudo maille up -f examples/netpol-playground/pods.yaml --lab play
              sudo maille up -f examples/shop --mode vxlan
              sudo maille up -f examples/netpol-playground/pods.yaml --lab play --flush-denied-connections
              sudo maille up -f examples/shop --lab shop --agents process
              sudo maille up -f examples/shop --lab shop --dataplane ebpf
              sudo maille up -f examples/shop --lab shop --dataplane ebpf --agents process
              sudo maille up -f examples/mesh --lab mesh --mesh-certificate-rotation 30s
              sudo maille up --lab play
            """)
        {
            files,
            config,
            lab,
            mode,
            wait,
            flush,
            apiPort,
            kubeconfig,
            agents,
            flowQueue,
            dataplane,
            rotation,
        };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(lab)!;
            if (!LabCommon.CanRunLab(context, name) || !OperatingSystem.IsLinux()
                || !LabCommon.HasLabPackages(context, LabNamespaces.CanLoadNftables))
            {
                return 1;
            }

            return Up(context, name, parse.GetValue(files) ?? [], parse.GetValue(config), parse.GetValue(mode)!, TimeSpan.FromSeconds(parse.GetValue(wait)), out _,
                flushDeniedConnections: parse.GetValue(flush), apiPort: parse.GetValue(apiPort), kubeconfig: parse.GetValue(kubeconfig), agents: parse.GetValue(agents)!, flowQueue: parse.GetValue(flowQueue), dataplane: parse.GetValue(dataplane),
                meshCertificateRotation: parse.GetValue(rotation));
        });
        return command;
    }

    /// <summary>
    /// Brings a lab up; <paramref name="cluster"/> is the planned cluster when it succeeded. A restart keeps the mode and
    /// <paramref name="flushDeniedConnections"/> the lab was first brought up with. <paramref name="meshCertificateRotation"/>
    /// (already validated) replaces the ClusterConfig's <c>meshCertificateRotation</c> in the lab's copy of the config,
    /// which the daemon plans from, so a restart keeps it too. Without <paramref name="rememberKubeconfig"/> the user's
    /// kubeconfig is left as it is (labs a command makes for itself).
    /// </summary>
    [SupportedOSPlatform("linux")]
    internal static int Up(CliContext context, string lab, IReadOnlyList<string> files, string? configPath, string mode, TimeSpan wait, out Engine.ClusterState? cluster, bool printHints = true, bool flushDeniedConnections = false, int apiPort = 0, string? kubeconfig = null, string agents = "inline", int flowQueue = 0, string? dataplane = null, string? meshCertificateRotation = null, bool rememberKubeconfig = true)
    {
        var clock = Stopwatch.StartNew();
        var state = new LabState(lab);
        var resume = files.Count == 0;
        if (resume)
        {
            if (!File.Exists(state.ManifestsFile))
            {
                context.Stderr.WriteLine($"error: lab {lab} has no saved state to restart from; give manifests with -f");
                cluster = null;
                return 1;
            }

            files = [state.ManifestsFile];
            configPath = File.Exists(state.ConfigFile) ? state.ConfigFile : null;
            var saved = state.ReadStatus();
            mode = saved?.Mode ?? mode;
            flushDeniedConnections = saved?.FlushDeniedConnections ?? flushDeniedConnections;
            agents = saved?.Agents ?? agents;
            dataplane = saved?.Dataplane ?? dataplane;
            apiPort = apiPort == 0 ? saved?.ApiPort ?? 0 : apiPort;   // kubeconfigs name the port: a restart keeps it
        }

        cluster = ClusterInput.Load(files, configPath, context, out var sources);
        if (cluster is null)
        {
            return 1;
        }

        // The flag wins over the ClusterConfig's dataplane, as --mode would.
        dataplane ??= cluster.Config.Dataplane == Model.DataplaneKind.Ebpf ? "ebpf" : "nftables";
        var tooBig = LabCapacity.Check(cluster, MachineLimits.Read());
        if (tooBig.Count > 0)
        {
            foreach (var problem in tooBig)
            {
                context.Stderr.WriteLine($"error: lab {lab}: {problem}");
            }

            context.Stderr.WriteLine($"error: lab {lab} is too big for its address plan or this machine; nothing was built");
            cluster = null;
            return 1;
        }

        if (state.DaemonAlive())
        {
            context.Stderr.WriteLine($"error: lab {lab} is already up; `maille down --lab {lab}` first, or choose another --lab");
            return 1;
        }

        if (resume)
        {
            context.Stderr.WriteLine($"Restarting lab {lab} from its saved state; the new daemon reconciles the network to it.");
            state.ClearStatus();
        }
        else
        {
            if (LabTeardown.TakeDown(lab) > 0)
            {
                context.Stderr.WriteLine($"note: removed what a previous run of lab {lab} left behind");
            }

            state.Create(string.Join("\n---\n", sources.Select(s => $"# from {s.Name}\n{s.Text}")), configPath);
        }

        if (meshCertificateRotation is not null)
        {
            state.WriteConfig(Kube.ClusterConfigOverride.With(File.Exists(state.ConfigFile) ? File.ReadAllText(state.ConfigFile) : null, "meshCertificateRotation", meshCertificateRotation));
        }

        PrivateFiles.Touch(state.LogFile);

        var daemon = LabDaemonCommand.Launch(state, mode, flushDeniedConnections, apiPort, agents, flowQueue, dataplane);
        state.WritePid(daemon.Id);
        context.Stderr.WriteLine($"Building lab {lab}: {cluster.Nodes.Count} nodes, {cluster.Pods.Count} pods ({mode}{(dataplane == "ebpf" ? ", ebpf" : "")})…");

        LabStatus? status = null;
        while (clock.Elapsed < wait)
        {
            status = state.ReadStatus();
            if ((status?.Phase == LabStatus.Ready && NotReady(state, status).Count == 0) || status?.Phase == LabStatus.Failed || daemon.HasExited)
            {
                break;
            }

            Thread.Sleep(50);
        }

        var notReady = NotReady(state, status);
        if (status?.Phase != LabStatus.Ready || notReady.Count > 0)
        {
            var reason = status?.Phase == LabStatus.Failed ? status.Message
                : daemon.HasExited ? $"the lab daemon exited with code {daemon.ExitCode}"
                : notReady.Count > 0 && status?.Phase == LabStatus.Ready ? $"after {wait.TotalSeconds:F0} s (--wait), readiness probes still fail for {string.Join(", ", notReady.Take(10))}{(notReady.Count > 10 ? $" and {notReady.Count - 10} more" : "")}"
                : $"not ready after {wait.TotalSeconds:F0} s (--wait)";
            context.Stderr.WriteLine($"error: lab {lab} did not come up: {reason}");
            if (File.Exists(state.LogFile))
            {
                foreach (var line in DaemonLogExcerpt(File.ReadLines(state.LogFile).ToList()))
                {
                    context.Stderr.WriteLine($"  daemon: {line}");
                }
            }

            LabTeardown.TakeDown(lab);
            context.Stderr.WriteLine($"Removed everything lab {lab} had created.");
            cluster = null;
            return 1;
        }

        context.Stdout.WriteLine($"Lab {lab} is up in {clock.Elapsed.TotalSeconds:F1} s: {status.Nodes} nodes, {status.Pods} pods, {status.Ports} ports served ({status.Mode}; network built in {status.NetworkMilliseconds:F0} ms).");
        foreach (var node in status.StoppedNodes)
        {
            context.Stdout.WriteLine($"Node {node} stays stopped, as it was left (its pods are not Ready until `maille node start {node} --lab {lab}`).");
        }

        if (rememberKubeconfig)
        {
            LabCommon.RememberKubeconfig(context, state, kubeconfig);
        }

        if (!printHints)
        {
            return 0;
        }

        context.Stdout.WriteLine();
        context.Stdout.WriteLine("Explore it:");
        var first = cluster.Pods.FirstOrDefault(p => !p.Spec.HostNetwork && p.Status.PodIP is not null);
        var other = cluster.Pods.LastOrDefault(p => !p.Spec.HostNetwork && p.Status.PodIP is not null && p.Spec.AllPorts.Any(c => c.Protocol == Model.Protocol.TCP));
        if (first is not null && other is not null)
        {
            var port = other.Spec.AllPorts.First(p => p.Protocol == Model.Protocol.TCP).Port;
            context.Stdout.WriteLine($"  maille exec --lab {lab} {first.QualifiedName} -- ip -4 addr show eth0");
            context.Stdout.WriteLine($"  maille exec --lab {lab} {first.QualifiedName} -- curl -s {other.Status.PodIP}:{port}/clientip");
        }

        context.Stdout.WriteLine($"  kubectl get pods -A -o wide");
        context.Stdout.WriteLine($"  maille probe --lab {lab}");
        context.Stdout.WriteLine($"  maille ls");
        context.Stdout.WriteLine($"Take it down: maille down --lab {lab}");
        return 0;
    }

    /// <summary>
    /// The pods whose readiness probes still fail, in order, but those of the nodes the lab keeps stopped: they stay
    /// not Ready until their node is started, and waiting for them would time out (and take the lab down).
    /// </summary>
    [SupportedOSPlatform("linux")]
    private static List<string> NotReady(LabState state, LabStatus? status)
    {
        var stopped = status?.OnStoppedNodes.ToHashSet(StringComparer.Ordinal) ?? [];
        return [.. state.ReadReadiness().Where(r => !r.Value && !stopped.Contains(r.Key)).Select(r => r.Key).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// What <c>up</c> shows of a failed daemon's log: from the crash's own message (<c>Unhandled exception.</c> and
    /// the exception's text) through the first lines of its stack, else the log's last ten lines. The end of a stack
    /// trace alone says where, not what.
    /// </summary>
    internal static IReadOnlyList<string> DaemonLogExcerpt(IReadOnlyList<string> log)
    {
        var crash = -1;
        for (var i = log.Count - 1; i >= 0; i--)
        {
            if (log[i].StartsWith("Unhandled exception.", StringComparison.Ordinal))
            {
                crash = i;
                break;
            }
        }

        return crash < 0 ? log.TakeLast(10).ToList() : log.Skip(crash).Take(10).ToList();
    }
}
