using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Dataplane.Linux.Nftables;
using Maille.Dataplane.Nftables;
using Maille.Engine;
using Maille.Engine.NetworkPolicies;
using Maille.Kube;
using Maille.Model;

namespace Maille.Benchmarks;

/// <summary>
/// <c>policy-traffic</c>: what enforcement costs the packets. A two-node lab (lab name <c>polbenchPID</c>) with a client
/// pod on node-1 and a server pod on node-2: without policy tables, with each node's table for no policy (conntrack
/// and the forward chain's rules, as an enforcer without policies has them), then with each node's table for
/// <c>policies</c> NetworkPolicies that all select both pods (ingress and egress isolated; the one rule that allows the
/// traffic sorts last, so a listed chain makes a first packet walk every other rule), once with every chain listed
/// and once folded as the enforcer does by default. In <c>reps</c> rounds, each configuration in turn (so that the
/// machine's drifting load falls on all alike): one iperf3 TCP run client → server of <c>seconds</c>, and
/// <c>connects</c>/<c>reps</c> sequential TCP connects. Printed: throughput (median of the rounds, and each round in
/// order) and connect time (median and p90 of all), and the ratios to no policy. Needs root and iperf3; the lab is
/// torn down at the end, whatever happens.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class PolicyTrafficMeasurement
{
    public static int Run(string[] args)
    {
        var policies = MeasurementArguments.Int(args, "--policies", 1000);
        var seconds = MeasurementArguments.Int(args, "--seconds", 5);
        var reps = MeasurementArguments.Int(args, "--reps", 3);
        var connects = MeasurementArguments.Int(args, "--connects", 500);
        var lab = $"polbench{Environment.ProcessId}";
        var open = Plan(0);
        var enforced = Plan(policies);
        try
        {
            using var network = LabNetworkBuilder.Build(lab, Topology(open));
            var client = network.Pod("bench/client");
            var server = network.Pod("bench/server");
            var serverAddress = open.PodsByName["bench/server"].Status.PodIP!;
            Console.WriteLine($"# policy-traffic: lab {lab}, client on node-1, server on node-2, iperf3 {reps} × {seconds} s, {connects} sequential connects");
            Console.WriteLine("| policies selecting both pods | policy chains | node-2 table rules | rules a first packet meets (node-1 / node-2) | throughput (median of runs) | connect (median / p90) |");
            Console.WriteLine("|---:|---|---:|---:|---:|---:|");
            var clientAddress = open.PodsByName["bench/client"].Status.PodIP!;
            var runs = new (int Count, string Shape, ClusterState? Cluster, int FoldAbove)[]
            {
                (0, "none (no table)", null, 0),
                (0, "none (the table with no policy: conntrack and forward's four rules)", open, PolicyRulesetBuilder.DefaultFoldAbove),
                (policies, "listed (every rule walked)", enforced, int.MaxValue),
                (policies, $"folded (chains of more than {PolicyRulesetBuilder.DefaultFoldAbove} rules)", enforced, PolicyRulesetBuilder.DefaultFoldAbove),
            };
            // Rounds: each configuration in turn, once per round, so that the machine's drifting load falls on all alike.
            var tables = runs.Select(run => open.Nodes.Select(node => run.Cluster is null ? null
                : PolicyRulesetBuilder.Build(NodePolicyPlanner.Plan(run.Cluster, node.Name), foldAbove: run.FoldAbove)).ToList()).ToList();
            var throughput = runs.Select(_ => new List<double>()).ToList();
            var latencies = runs.Select(_ => new List<double>()).ToList();
            for (var round = 0; round < reps; round++)
            {
                for (var r = 0; r < runs.Length; r++)
                {
                    for (var n = 0; n < open.Nodes.Count; n++)
                    {
                        Apply(network.Node(open.Nodes[n].Name), tables[r][n] is { } table ? NftScriptFor(table)
                            : $"add table {PolicyRulesetBuilder.Family} {PolicyRulesetBuilder.Table}\ndelete table {PolicyRulesetBuilder.Family} {PolicyRulesetBuilder.Table}\n");
                    }

                    throughput[r].Add(Iperf(client.Name, server.Name, serverAddress, seconds));
                    latencies[r].AddRange(Connects(client, server, serverAddress, connects / reps));
                }
            }

            for (var r = 0; r < runs.Length; r++)
            {
                var node2 = tables[r][open.Nodes.Select(n => n.Name).ToList().IndexOf("node-2")];
                var met = tables[r].Select(t => t is null ? 0 : RulesMet(t, clientAddress, serverAddress));
                var rounds = throughput[r];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {runs[r].Count:N0} | {runs[r].Shape} | {node2?.RuleCount ?? 0:N0} | {string.Join(" / ", met)} | {Median(rounds) / 1e9:F2} Gbit/s ({string.Join(", ", rounds.Select(t => (t / 1e9).ToString("F2", CultureInfo.InvariantCulture)))}) | {P(latencies[r], 0.5):F0} / {P(latencies[r], 0.9):F0} µs |"));
            }

            foreach (var baseline in new[] { 0, 1 })
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"# medians ÷ row {baseline + 1}: listed throughput {Median(throughput[2]) / Median(throughput[baseline]):F3}, connect {P(latencies[2], 0.5) / P(latencies[baseline], 0.5):F2}×; folded throughput {Median(throughput[3]) / Median(throughput[baseline]):F3}, connect {P(latencies[3], 0.5) / P(latencies[baseline], 0.5):F2}×"));
            }
        }
        finally
        {
            LabNetworkBuilder.Teardown(lab);
        }

        return 0;
    }

    /// <summary>
    /// The rules the first packet of client → server meets in a node's forward hook, as the tracer walks them: the
    /// four rules of <c>forward</c>, plus in each policy chain entered the rules up to the one that returned.
    /// </summary>
    private static int RulesMet(NftRuleset table, IPAddress client, IPAddress server)
    {
        var trace = new NftPacketTracer(table).TraceFilter("forward", new NftTracePacket(client, server, "tcp", 5201, NftIngress.Pod));
        if (trace.Verdict != NftTraceVerdict.NotTranslated)
        {
            throw new InvalidOperationException($"the benchmark's policies deny client -> server: {trace.Decision}");
        }

        return table.Chain(PolicyRulesetBuilder.Forward)!.Rules.Count + trace.Steps.Where(s => s.Chain != PolicyRulesetBuilder.Forward).Sum(s => s.Rule);
    }

    /// <summary>Namespace bench with the client on node-1 and the server on node-2, and <paramref name="count"/> policies.</summary>
    private static ClusterState Plan(int count)
    {
        var yaml = new StringBuilder("apiVersion: v1\nkind: Namespace\nmetadata: {name: bench}\n---\n");
        yaml.Append("apiVersion: v1\nkind: Pod\nmetadata: {name: client, namespace: bench, labels: {role: client}}\nspec: {nodeName: node-1, containers: [{name: c, image: i}]}\n---\n");
        yaml.Append("apiVersion: v1\nkind: Pod\nmetadata: {name: server, namespace: bench, labels: {role: server}}\nspec: {nodeName: node-2, containers: [{name: c, image: i, ports: [{name: iperf, containerPort: 5201}]}]}\n---\n");
        for (var i = 0; i < count; i++)
        {
            // Each opens other ports to other peers; only the last (sorting last) allows client -> server on 5201.
            var allows = i == count - 1;
            yaml.Append(CultureInfo.InvariantCulture, $"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: {(allows ? "zz-allow" : $"p{i:D4}")}, namespace: bench}}\nspec:\n  podSelector: {{}}\n  policyTypes: [Ingress, Egress]\n");
            yaml.Append(allows
                ? "  ingress: [{from: [{podSelector: {matchLabels: {role: client}}}], ports: [{port: iperf}]}]\n  egress: [{to: [{podSelector: {matchLabels: {role: server}}}], ports: [{port: 5201}]}]\n---\n"
                : string.Create(CultureInfo.InvariantCulture, $"  ingress: [{{from: [{{ipBlock: {{cidr: 203.0.{i % 256}.0/24}}}}], ports: [{{port: {10000 + i}}}]}}]\n  egress: [{{to: [{{ipBlock: {{cidr: 203.1.{i % 256}.0/24}}}}], ports: [{{port: {20000 + i}}}]}}]\n---\n"));
        }

        var (manifests, diagnostics) = ManifestLoader.Load([new ManifestSource("bench.yaml", yaml.ToString())]);
        var result = ClusterPlanner.Plan(manifests, ClusterConfig.Default with { NodeCount = 2 }, diagnostics);
        return result.Cluster ?? throw new InvalidOperationException(string.Join("\n", result.Errors.Take(5)));
    }

    private static LabTopology Topology(ClusterState cluster) => new()
    {
        Nodes = new(cluster.Nodes.Select(n => new LabNode { Name = n.Name, Address = n.InternalIP!, PrefixLength = cluster.Config.NodeNetwork.PrefixLength, PodCidr = n.PodCidr!.Value })),
        Pods = new(cluster.Pods.Select(p => new LabPod { Key = p.QualifiedName, Node = p.Spec.NodeName!, Address = p.Status.PodIP! })),
    };

    private static string NftScriptFor(NftRuleset table)
    {
        var script = new NftScript(PolicyRulesetBuilder.Family, PolicyRulesetBuilder.Table);
        script.WriteTable(table);
        return script.ToString();
    }

    private static void Apply(NetworkNamespace node, string script) => node.RunInside(() =>
    {
        using var context = NftContext.Create();
        var result = context.Run(script);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("nft: " + result.Error);
        }
    });

    /// <summary>One iperf3 TCP run; bits per second received.</summary>
    private static double Iperf(string clientNamespace, string serverNamespace, IPAddress server, int seconds)
    {
        using var listener = Start("ip", "netns", "exec", serverNamespace, "iperf3", "-s", "-1", "-p", "5201");
        Thread.Sleep(300);
        using var run = Start("ip", "netns", "exec", clientNamespace, "iperf3", "-c", server.ToString(), "-p", "5201", "-t", seconds.ToString(CultureInfo.InvariantCulture), "-J");
        var output = run.StandardOutput.ReadToEnd();
        if (!run.WaitForExit(TimeSpan.FromSeconds(seconds + 30)) || run.ExitCode != 0)
        {
            throw new InvalidOperationException("iperf3 failed: " + run.StandardError.ReadToEnd() + output);
        }

        listener.WaitForExit(TimeSpan.FromSeconds(10));
        using var json = JsonDocument.Parse(output);
        return json.RootElement.GetProperty("end").GetProperty("sum_received").GetProperty("bits_per_second").GetDouble();
    }

    /// <summary>Sequential TCP connects from client to server (accepted and closed), each timed; microseconds.</summary>
    private static List<double> Connects(NetworkNamespace client, NetworkNamespace server, IPAddress address, int count)
    {
        using var listener = server.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Any, 5201));
        listener.Listen(512);
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using var accepted = await listener.AcceptAsync(stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        var times = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            using var socket = client.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var watch = Stopwatch.StartNew();
            socket.Connect(new IPEndPoint(address, 5201));
            times.Add(watch.Elapsed.TotalMicroseconds);
        }

        stop.Cancel();
        accepting.GetAwaiter().GetResult();
        return times;
    }

    private static Process Start(params string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"cannot start {command[0]}");
    }

    private static double Median(List<double> values) => P(values, 0.5);

    private static double P(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
    }
}
