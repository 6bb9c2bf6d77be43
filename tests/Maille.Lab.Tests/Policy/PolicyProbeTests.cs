using System.Collections.Concurrent;
using Maille.Engine;
using Maille.Engine.NetworkPolicies;
using Maille.Lab.NodeAgents;
using Maille.Model;
using Maille.TestKit;
using Xunit.Abstractions;

namespace Maille.Lab.Tests.Policy;

// IP plan: the playground (examples/netpol-playground: x, y, z × a, b, c) plus a pod d in each namespace, 12 pods on
// nodes node-1..3 (198.18.0.11-13, pods in 198.19.N.0/24). Every pod serves TCP and UDP 80 and 81 (PolicyLab); each
// node's table is written by its NodePolicyEnforcer. Probes are real connections from inside the pods' namespaces.
public sealed class PolicyProbeTests(ITestOutputHelper output)
{
    private static readonly string PlaygroundPods = Fixtures.PlaygroundPods;

    /// <summary>The playground with pod d (a copy of x/a's spec labelled pod=d) in x, y and z.</summary>
    private static readonly string Pods = PlaygroundPods + string.Concat(new[] { "x", "y", "z" }.Select(ns => "\n---\n" + PodD(ns)));

    private static readonly PortProtocol[] Ports = [new(80, Protocol.TCP), new(81, Protocol.TCP), new(80, Protocol.UDP)];

    /// <summary>The ports of the ClusterNetworkPolicy sets, whose rules also name SCTP: an SCTP INIT to 80 too (<see cref="SctpInit"/>).</summary>
    private static readonly PortProtocol[] ClusterPolicyPorts = [.. Ports, new(80, Protocol.SCTP)];

    /// <summary>Seeds of <see cref="RandomClusterPolicies"/> that once found a disagreement, kept as regression cases.</summary>
    private static readonly int[] ClusterPolicyRegressionSeeds = [];

    /// <summary>
    /// Seeds 1-20 in the nftables data plane with each chain shape, and in the ebpf data plane (tc programs on the
    /// pods' veths). A denied TCP connection must be rejected (unreachable) in both, not left to time out.
    /// </summary>
    [SkippableTheory]
    [InlineData(NodePolicyEnforcerKernelTests.Default, DataplaneKind.Nftables, 20)]
    [InlineData(NodePolicyEnforcerKernelTests.Folded, DataplaneKind.Nftables, 20)]
    [InlineData(NodePolicyEnforcerKernelTests.Default, DataplaneKind.Ebpf, 20)]
    public async Task RandomPolicySets_RealPacketsAgreeWithTheEngineOnEveryPair(int foldAbove, DataplaneKind dataplane, int sets)
    {
        Privileged.Require();
        var open = Cluster.Valid(Pods);
        Assert.Equal(12, open.Pods.Count);
        Assert.Equal(3, open.Pods.Select(p => p.Spec.NodeName).Distinct().Count());
        // Strict mode: a UDP probe may reuse a source port, and so the 5-tuple of a flow an earlier policy set allowed,
        // which conntrack still holds as established (up to 120 s); only with its entry flushed is it judged again.
        using var lab = PolicyLab.Start(open, new NodePolicyEnforcerOptions { FlushDeniedConnections = true, FoldChainsAbove = foldAbove }, dataplane: dataplane);
        var outcome = await CompareAsync(lab, open, Enumerable.Range(1, sets), seed => RandomPolicies.Yaml(seed), Ports, dataplane == DataplaneKind.Ebpf ? "ebpf data plane" : $"chains folded above {foldAbove} rules");
        Assert.True(outcome.Mismatches.Count == 0, string.Join("\n", outcome.Mismatches.Take(20)) + "\n" + outcome.Retries);
        Assert.True(outcome.Allowed > 25 * sets && outcome.Denied > 25 * sets, $"{outcome.Allowed} allowed, {outcome.Denied} denied: the sets should exercise both");
    }

    /// <summary>
    /// Twenty random sets of ClusterNetworkPolicies mixed with NetworkPolicies (<see cref="RandomClusterPolicies"/>),
    /// seeds 1-20, or from <c>MAILLE_SEED</c> on when it is set (to replay or explore), and the seeds that once found a
    /// disagreement (<see cref="ClusterPolicyRegressionSeeds"/>).
    /// </summary>
    [SkippableTheory]
    [InlineData(DataplaneKind.Nftables, 20)]
    [InlineData(DataplaneKind.Ebpf, 20)]
    public async Task RandomClusterPolicySets_RealPacketsAgreeWithTheEngineOnEveryPair(DataplaneKind dataplane, int sets)
    {
        Privileged.Require();
        var first = int.TryParse(Environment.GetEnvironmentVariable("MAILLE_SEED"), System.Globalization.CultureInfo.InvariantCulture, out var given) ? given : 1;
        var seeds = Enumerable.Range(first, sets).Concat(ClusterPolicyRegressionSeeds).Distinct().ToList();
        output.WriteLine($"seeds {first}-{first + sets - 1} (MAILLE_SEED={first} replays them){(ClusterPolicyRegressionSeeds.Length == 0 ? "" : " and " + string.Join(", ", ClusterPolicyRegressionSeeds))}");
        var open = Cluster.Valid(Pods);
        using var lab = PolicyLab.Start(open, new NodePolicyEnforcerOptions { FlushDeniedConnections = true }, dataplane: dataplane);
        var outcome = await CompareAsync(lab, open, seeds, seed => RandomClusterPolicies.Yaml(seed), ClusterPolicyPorts, "ClusterNetworkPolicies");
        Assert.True(outcome.Mismatches.Count == 0, $"MAILLE_SEED={first}\n" + string.Join("\n", outcome.Mismatches.Take(20)) + "\n" + outcome.Retries);
        Assert.True(outcome.Allowed > 25 * sets && outcome.Denied > 25 * sets, $"{outcome.Allowed} allowed, {outcome.Denied} denied: the sets should exercise both");
    }

    [SkippableTheory]
    [InlineData(NodePolicyEnforcerKernelTests.Default, DataplaneKind.Nftables)]
    [InlineData(NodePolicyEnforcerKernelTests.Folded, DataplaneKind.Nftables)]
    [InlineData(NodePolicyEnforcerKernelTests.Default, DataplaneKind.Ebpf)]
    public async Task WhileRulesAreRewritten200Times_NoAllowedConnectionFailsAndNoDeniedOneConnects(int foldAbove, DataplaneKind dataplane)
    {
        Privileged.Require();
        const string Deny = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-all, namespace: x}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n---\n";
        string AllowY(string name) => $"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: {name}, namespace: x}}\nspec:\n  podSelector: {{}}\n  ingress:\n  - from: [{{namespaceSelector: {{matchLabels: {{ns: y}}}}}}]\n    ports: [{{port: 80}}]\n---\n";
        const string ZToB = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: z-to-b, namespace: x}\nspec:\n  podSelector: {matchLabels: {pod: b}}\n  ingress:\n  - from: [{namespaceSelector: {matchLabels: {ns: z}}}]\n    ports: [{port: 81}]\n---\n";
        var first = Cluster.Valid(Pods + "\n---\n" + Deny + AllowY("allow-y-one"));
        var secondPlan = Cluster.Replan(Pods.Replace("  name: d\n  namespace: z\n  labels:\n    pod: d", "  name: d\n  namespace: z\n  labels:\n    pod: e", StringComparison.Ordinal) + "\n---\n" + Deny + AllowY("allow-y-two") + ZToB, first);
        Assert.True(secondPlan.Succeeded, string.Join("\n", secondPlan.Errors));
        var second = secondPlan.Cluster!;

        // Pairs whose verdict is the same under both states: every moment of every rewrite must give that verdict.
        (string From, string To, int Port, bool Allowed)[] pairs =
        [
            ("y/b", "x/a", 80, true), ("y/c", "x/b", 80, true), ("y/a", "x/d", 80, true), ("x/a", "z/b", 81, true),
            ("z/b", "x/a", 80, false), ("y/b", "x/a", 81, false), ("z/c", "x/c", 81, false), ("x/b", "x/d", 80, false),
        ];
        foreach (var state in new[] { first, second })
        {
            var evaluator = NetworkPolicyEvaluator.For(state);
            Assert.All(pairs, p => Assert.Equal(p.Allowed, evaluator.Evaluate(state.PodsByName[p.From], state.PodsByName[p.To], p.Port, Protocol.TCP).Allowed));
        }

        using var lab = PolicyLab.Start(first, new NodePolicyEnforcerOptions { FoldChainsAbove = foldAbove }, dataplane: dataplane);
        lab.Sync(first);
        var violations = new ConcurrentQueue<string>();
        var probes = 0;
        using var done = new CancellationTokenSource();
        var prober = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                var results = await Task.WhenAll(pairs.Select(async p => (p, Outcome: await lab.TcpAsync(p.From, p.To, p.Port, TimeSpan.FromSeconds(1)))));
                foreach (var (p, outcome) in results)
                {
                    Interlocked.Increment(ref probes);
                    if ((outcome == "connected") != p.Allowed)
                    {
                        violations.Enqueue($"{p.From} -> {p.To}:{p.Port}: {outcome}");
                    }
                }
            }
        });

        // At least 200 rewrites, and on until 200 probes have ended while rules were being rewritten (bounded at 20 s):
        // a round that meets a dropped port waits out its 1 s timeout, and fast syncs once ended before any round did.
        var syncs = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 200 || (Volatile.Read(ref probes) < 200 && syncs.Elapsed < TimeSpan.FromSeconds(20)); i++)
        {
            lab.Sync(i % 2 == 0 ? second : first);
        }

        var rewriting = syncs.Elapsed;
        await Task.Delay(200);
        await done.CancelAsync();
        await prober;

        output.WriteLine($"rewrites for {rewriting.TotalMilliseconds:F0} ms, {probes} probes, {violations.Count} violations");
        Assert.Empty(violations);
        Assert.True(probes >= 200, $"only {probes} probes ran while the rules were rewritten");
        Assert.All(lab.LastSyncs.Values, s => Assert.False(s.Full));
    }

    /// <summary>
    /// For each seed: the pods with <paramref name="policies"/>' set, planned, synced to every node, and every ordered
    /// pair of pods probed on every one of <paramref name="ports"/> and compared with the engine's verdict.
    /// </summary>
    private async Task<(int Allowed, int Denied, List<string> Mismatches, RetryLog Retries)> CompareAsync(PolicyLab lab, ClusterState open, IEnumerable<int> seeds, Func<int, string> policies, PortProtocol[] ports, string label)
    {
        var mismatches = new List<string>();
        var retries = new RetryLog(output);
        var (allowed, denied) = (0, 0);
        foreach (var seed in seeds)
        {
            var planned = Cluster.Replan(Pods + "\n---\n" + policies(seed), open);
            Assert.True(planned.Succeeded, $"seed {seed}: {string.Join("\n", planned.Errors)}");
            var cluster = planned.Cluster!;
            lab.Sync(cluster);
            var evaluator = NetworkPolicyEvaluator.For(cluster);
            foreach (var (from, to, port, observed) in await ProbeAllAsync(lab, cluster, ports))
            {
                var expected = evaluator.Evaluate(cluster.PodsByName[from], cluster.PodsByName[to], port.Port, port.Protocol);
                (allowed, denied) = expected.Allowed ? (allowed + 1, denied) : (allowed, denied + 1);
                var outcome = observed;
                if (IsSuccess(outcome) != expected.Allowed && outcome == "timeout")
                {
                    // A TCP or UDP denial here is an ICMP reject, never a timeout: a timeout on this loaded 2-core machine is
                    // asked again once (an SCTP INIT expected to arrive is sent again), and the retry is counted and named in
                    // the output and in the failure message.
                    outcome = await lab.ProbeAsync(from, to, port, TimeSpan.FromSeconds(2));
                    retries.Record($"seed {seed}: {from} -> {to} {port} (the engine allows it)", observed, outcome);
                }

                if (IsSuccess(outcome) != expected.Allowed)
                {
                    mismatches.Add($"seed {seed} ({label}): {from} -> {to} {port}: observed {outcome} (first {observed}), engine says {expected}");
                }
                else if (!expected.Allowed && port.Protocol == Protocol.TCP && outcome != "unreachable"
                    && (outcome != "timeout" || await RetriedAsync(lab, retries, seed, from, to, port, outcome) != "unreachable"))
                {
                    // Both data planes reject a denied connection with ICMP admin-prohibited: the client fails at once (a
                    // timeout on this loaded machine is asked again once, as above).
                    mismatches.Add($"seed {seed} ({label}): {from} -> {to} {port}: denied as the engine says, but {outcome}, not rejected (unreachable)");
                }
            }
        }

        output.WriteLine($"{label}: {allowed} allowed and {denied} denied connections probed; {mismatches.Count} disagreements; {retries}; "
            + string.Join(", ", lab.Parts.Select(e => $"{e.Node}: {lab.Flushed(e.Node)} flushed, last apply {lab.LastSyncs[e.Node].ApplyDuration.TotalMilliseconds:F0} ms")));
        return (allowed, denied, mismatches, retries);
    }

    private static async Task<string> RetriedAsync(PolicyLab lab, RetryLog retries, int seed, string from, string to, PortProtocol port, string observed)
    {
        var outcome = await lab.ProbeAsync(from, to, port, TimeSpan.FromSeconds(2));
        retries.Record($"seed {seed}: {from} -> {to} {port} (the engine denies it: rejected?)", observed, outcome);
        return outcome;
    }

    private static bool IsSuccess(string outcome) => PolicyLab.Succeeded(outcome);

    /// <summary>Every ordered pair of pods on every port, at most 48 attempts at a time (an SCTP denial is a timeout, so its wait is short).</summary>
    private static async Task<IReadOnlyList<(string From, string To, PortProtocol Port, string Outcome)>> ProbeAllAsync(PolicyLab lab, ClusterState cluster, PortProtocol[] ports)
    {
        using var gate = new SemaphoreSlim(48);
        var names = cluster.Pods.Select(p => p.QualifiedName).ToList();
        return await Task.WhenAll(
            from port in ports
            from source in names
            from target in names
            select Attempt(source, target, port));

        async Task<(string, string, PortProtocol, string)> Attempt(string from, string to, PortProtocol port)
        {
            await gate.WaitAsync();
            try
            {
                var outcome = await lab.ProbeAsync(from, to, port, port.Protocol == Protocol.SCTP ? TimeSpan.FromMilliseconds(300) : TimeSpan.FromSeconds(1));
                return (from, to, port, outcome);
            }
            finally
            {
                gate.Release();
            }
        }
    }

    private static string PodD(string ns)
    {
        var start = PlaygroundPods.IndexOf("kind: Pod\nmetadata:\n  name: a\n  namespace: x\n", StringComparison.Ordinal);
        var end = PlaygroundPods.IndexOf("\n---", start, StringComparison.Ordinal);
        return "apiVersion: v1\n" + PlaygroundPods[start..end]
            .Replace("  name: a\n  namespace: x\n  labels:\n    pod: a", $"  name: d\n  namespace: {ns}\n  labels:\n    pod: d", StringComparison.Ordinal);
    }
}
