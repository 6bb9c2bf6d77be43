using System.CommandLine;
using System.Diagnostics;
using System.Runtime.Versioning;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Engine;
using Maille.Engine.NetworkPolicies;
using Maille.Lab.Labs;
using Maille.Lab.Probing;
using Maille.Model;

namespace Maille.Cli.Lab;

/// <summary>
/// <c>maille demo</c>: installs what the lab needs, brings up the shop example, shows each part of the network working
/// with real traffic, says what it did, and leaves the lab up with the commands to explore and to take it down.
/// </summary>
internal static class DemoCommand
{
    private const string Lab = "demo";

    public static Command Create(CliContext context)
    {
        var files = new Option<string[]>("--filename", "-f") { Description = "Manifests to run (default: examples/shop)", DefaultValueFactory = _ => ["examples/shop"] };
        var command = new Command("demo", """
            The guided tour (Linux, root): installs iproute2 if it is missing, brings up examples/shop as lab "demo",
            shows pods on different nodes reaching each other with real packets, hostNetwork pods on their node's
            address, every pod probed against the engine's prediction, and leaves the lab up to explore.

            Example:
              sudo ./maille demo
            """)
        {
            files,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!LabCommon.CanRunLab(context, Lab) || !OperatingSystem.IsLinux())
            {
                return 1;
            }

            return await RunAsync(context, parse.GetValue(files)!, cancellationToken);
        });
        return command;
    }

    [SupportedOSPlatform("linux")]
    private static async Task<int> RunAsync(CliContext context, string[] files, CancellationToken cancellationToken)
    {
        var output = context.Stdout;
        if (!EnsureIproute2(context))
        {
            return 1;
        }

        output.WriteLine("1. Bring up the cluster the engine planned (maille up)");
        if (Up(context, files, out var cluster) != 0 || cluster is null)
        {
            return 1;
        }

        output.WriteLine();
        output.WriteLine("2. Pods on different nodes reach each other directly, without NAT (HTTP to the pod's /clientip)");
        var pods = LabTopologyMapper.LabPods(cluster).ToList();
        foreach (var (from, to) in CrossNodePairs(pods).Take(3))
        {
            var port = to.Spec.AllPorts.First(p => p.Protocol == Protocol.TCP).Port;
            using var ns = NetworkNamespace.Open(LabNames.Pod(Lab, from.QualifiedName));
            var (status, body) = LabHttp.Get(ns, to.Status.PodIP!, port, "/clientip", TimeSpan.FromSeconds(3));
            output.WriteLine($"   {from.QualifiedName} ({from.Status.PodIP}, {from.Spec.NodeName}) → {to.QualifiedName} ({to.Status.PodIP}:{port}, {to.Spec.NodeName}): {status[(status.IndexOf(' ', StringComparison.Ordinal) + 1)..]}, it saw the caller as {body}");
        }

        var hostPod = cluster.Pods.FirstOrDefault(p => p.Spec.HostNetwork && p.Spec.AllPorts.Any(c => c.Protocol == Protocol.TCP));
        if (hostPod is not null)
        {
            output.WriteLine();
            output.WriteLine("3. hostNetwork pods answer on their node's address (HTTP from the outside client to /hostname)");
            var port = hostPod.Spec.AllPorts.First(p => p.Protocol == Protocol.TCP).Port;
            using var external = NetworkNamespace.Open(LabNames.External(Lab));
            var (_, body) = LabHttp.Get(external, hostPod.Status.PodIP!, port, "/hostname", TimeSpan.FromSeconds(3));
            output.WriteLine($"   external (198.18.0.2) → {hostPod.Status.PodIP}:{port} on {hostPod.Spec.NodeName}: answered by {body}");
        }

        output.WriteLine();
        output.WriteLine("4. Every pod to every pod, real TCP and UDP, compared with the engine (maille probe)");
        var ports = ReachabilityMatrix.DeclaredPorts(pods).Where(p => p.Protocol != Protocol.SCTP).ToList();
        var report = await new ConnectivityProber(cluster, Lab).ProbeAsync(ports, null, cancellationToken);
        var connected = report.Cells.Count(c => c.Observed);
        var engineDenies = report.Cells.Count(c => !c.Expected);
        output.WriteLine($"   {report.Cells.Length} connections in {report.Elapsed.TotalSeconds:F1} s: {connected} got through.");
        output.WriteLine($"   The engine expects {report.Cells.Length - engineDenies} to get through; the other {engineDenies} are denied by the shop's NetworkPolicies or reach a port nothing listens on.");
        var gap = report.Mismatches.Count();
        output.WriteLine(gap == 0
            ? "   The lab agrees with the engine on every one."
            : $"   {gap} differ: NetworkPolicy is not enforced in the lab yet, so those connections get through (maille probe --lab {Lab} lists them).");

        output.WriteLine();
        output.WriteLine("What is not in the lab yet: Service ClusterIPs/NodePorts, LoadBalancer IPs, Ingress and DNS (planned offline:");
        output.WriteLine("maille get svc -A -f examples/shop, maille trace -f examples/shop --from external --to 198.18.0.11:30080).");
        output.WriteLine();
        output.WriteLine($"The lab is still up. Explore it:");
        var sample = pods.First();
        output.WriteLine($"  ./maille exec --lab {Lab} {sample.QualifiedName} -- ip route");
        output.WriteLine($"  ./maille exec --lab {Lab} node/{cluster.Nodes[0].Name} -- ip route");
        output.WriteLine($"  ./maille probe --lab {Lab} -n shop-api");
        output.WriteLine($"  ./maille ls");
        output.WriteLine($"Take it down: ./maille down --lab {Lab}");
        return 0;
    }

    [SupportedOSPlatform("linux")]
    private static int Up(CliContext context, string[] files, out ClusterState? cluster)
    {
        if (new LabState(Lab).Exists || LabNetworkBuilder.Namespaces(Lab).Count > 0)
        {
            context.Stdout.WriteLine($"   (taking down the previous demo lab first: {LabCommon.TakeDown(Lab)} namespaces removed)");
        }

        var missing = files.Where(f => !File.Exists(f) && !Directory.Exists(f)).ToList();
        if (missing.Count > 0)
        {
            context.Stderr.WriteLine($"error: {string.Join(", ", missing)} not found: run the demo from the repository root, or give -f");
            cluster = null;
            return 1;
        }

        return UpCommand.Up(context, Lab, files, null, "routed", TimeSpan.FromSeconds(120), out cluster, printHints: false);
    }

    /// <summary>Pairs of pods on different nodes, the destination serving TCP, spread over the namespaces.</summary>
    [SupportedOSPlatform("linux")]
    private static IEnumerable<(Pod From, Pod To)> CrossNodePairs(List<Pod> pods)
    {
        var servers = pods.Where(p => p.Spec.Containers.Any(c => !Maille.Lab.Workloads.PodWorkloads.RunsOwnProgram(c) && c.Ports.Any(port => port.Protocol == Protocol.TCP))).ToList();
        foreach (var to in servers.DistinctBy(p => p.Namespace))
        {
            var from = pods.FirstOrDefault(p => p.Spec.NodeName != to.Spec.NodeName && p.Namespace != to.Namespace);
            if (from is not null)
            {
                yield return (from, to);
            }
        }
    }

    /// <summary>The lab drives iproute2 for <c>exec</c> and programs; install it when missing, saying so.</summary>
    private static bool EnsureIproute2(CliContext context)
    {
        if (File.Exists("/usr/sbin/ip") || File.Exists("/sbin/ip") || File.Exists("/usr/bin/ip"))
        {
            return true;
        }

        context.Stdout.WriteLine("0. Installing iproute2 (apt-get install iproute2)…");
        foreach (var arguments in new[] { "update -qq", "install -y -qq --no-install-recommends iproute2" })
        {
            using var process = Process.Start(new ProcessStartInfo("apt-get", arguments) { UseShellExecute = false })!;
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                context.Stderr.WriteLine($"error: apt-get {arguments} failed (exit {process.ExitCode}); install iproute2 and run the demo again");
                return false;
            }
        }

        return true;
    }
}
