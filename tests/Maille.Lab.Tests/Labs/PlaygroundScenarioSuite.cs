using System.Diagnostics;
using System.Text.Json.Nodes;
using Maille.Engine;
using Maille.Engine.NetworkPolicies;
using Maille.Model;
using Maille.TestKit;
using Xunit.Abstractions;

namespace Maille.Lab.Tests.Labs;

// Privileged: every upstream-style scenario of examples/netpol-playground (the engine's golden cases) enforced live.
// IP plan (defaults): nodes node-1..3 at 198.18.0.11-13, pods a, b, c of each namespace on node-1, -2, -3, in
// 198.19.N.0/24 (x/a 198.19.1.2, y/a 198.19.1.3, …). ONE lab for the whole class (PlaygroundLab, `maille up
// --flush-denied-connections`); each scenario applies its policies with `maille apply`, makes its second step with
// the command a user types (`maille apply`, `label pod`, `label ns`, `delete networkpolicy`), probes with `maille
// probe -o json` over 80/TCP, 81/TCP and 80/UDP, and compares each observed connection with the engine's matrix,
// computed here from the same files; then the lab is reset to the bare playground. The suite runs once per data plane:
// LabPlaygroundScenarioTests (nftables, the default) and LabPlaygroundScenarioEbpfTests (`--dataplane ebpf`).
public abstract class PlaygroundScenarioSuite(PlaygroundLab lab, ITestOutputHelper output)
{
    private static readonly PortProtocol[] Ports = [new(80, Protocol.TCP), new(81, Protocol.TCP), new(80, Protocol.UDP)];

    public static TheoryData<string> Scenarios() => new([.. PlaygroundScenario.OneStepNames(), .. PlaygroundScenario.TwoStepNames()]);

    [SkippableFact]
    public void Without_policy_probe_observes_every_pod_reaching_every_pod()
    {
        Privileged.Require();
        lab.EnsureUp();
        var retries = new RetryLog(output);
        var mismatches = ProbeAgainstEngine("no-policy", 1, TestKit.Cluster.Valid(File.ReadAllText(PlaygroundScenario.PodsFile)), retries, out var allowed);

        output.WriteLine($"no-policy: {mismatches.Count} mismatches; {retries}");
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches) + "\n" + retries);
        Assert.Equal(9 * 9 * Ports.Length, allowed);
    }

    [SkippableTheory]
    [MemberData(nameof(Scenarios))]
    public void Probe_observes_the_engine_s_matrix_at_every_step_of_the_scenario(string name)
    {
        Privileged.Require();
        lab.EnsureUp();
        var scenario = PlaygroundScenario.Load(name);
        var clock = Stopwatch.StartNew();
        var mismatches = new List<string>();
        var retries = new RetryLog(output);
        try
        {
            var applied = lab.Succeed("apply", "-f", scenario.PoliciesFile);
            Assert.All(applied.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.EndsWith(" created", line, StringComparison.Ordinal));
            var before = scenario.Plan(1);
            mismatches.AddRange(ProbeAgainstEngine(name, 1, before, retries, out _));

            if (scenario.Change is { } change)
            {
                var after = scenario.Plan(2);
                var flushed = lab.FlushedConnections();
                output.WriteLine($"{name}, step 2: maille {string.Join(' ', change.Select(Path.GetFileName))}: {lab.Succeed([.. change]).Trim()}");
                mismatches.AddRange(ProbeAgainstEngine(name, 2, after, retries, out _));

                // The probe of step 1 left a UDP flow in conntrack for every pair it answered; where step 2 denies one,
                // only the cut (--flush-denied-connections) makes the probe above see the denial.
                if (NowDenied(before, after, new PortProtocol(80, Protocol.UDP)) is { Count: > 0 } cut)
                {
                    Assert.True(lab.FlushedConnections() > flushed, $"{name}: step 2 denies {string.Join(", ", cut.Take(5))} on 80/UDP, yet no connection was flushed");
                }
            }
        }
        finally
        {
            lab.Reset(labels: scenario.Change is ["label", ..], clusterPolicies: ClusterPolicyNames(scenario.PoliciesFile));
        }

        output.WriteLine($"{name}: {scenario.Steps} step(s) in {clock.Elapsed.TotalSeconds:F1} s, {mismatches.Count} mismatches; {retries}");
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches) + "\n" + retries);
    }

    /// <summary>The ClusterNetworkPolicies a scenario's file holds: cluster-scoped, they outlive a reset of the namespaces' policies.</summary>
    private static List<string> ClusterPolicyNames(string file) =>
        [.. File.ReadAllText(file).Split("\n---")
            .Where(document => document.Contains("kind: ClusterNetworkPolicy", StringComparison.Ordinal))
            .Select(document => System.Text.RegularExpressions.Regex.Match(document, @"metadata:\s*(\{\s*)?\n?\s*name:\s*([\w.-]+)").Groups[2].Value)
            .Where(name => name.Length > 0)];

    /// <summary>
    /// Runs <c>maille probe -o json</c> and compares every connection with the engine's matrix for <paramref name="expected"/>.
    /// An allowed connection that timed out is asked once more with a second probe (a loaded 2-core machine can be slow to
    /// answer within the probe's second), and <paramref name="retries"/> records it; a denied connection that got through
    /// is never asked again.
    /// </summary>
    private List<string> ProbeAgainstEngine(string scenario, int step, ClusterState expected, RetryLog retries, out int allowed)
    {
        var matrix = ReachabilityMatrix.Compute(NetworkPolicyEvaluator.For(expected), expected.Pods, Ports);
        var observed = Probe();
        Assert.Equal(matrix.Pods.Select(p => p.QualifiedName), observed.Pods);

        var differences = new List<(string From, string To, string Port, bool Engine)>();
        var mismatches = new List<string>();
        allowed = 0;
        for (var port = 0; port < matrix.Ports.Length; port++)
        {
            for (var from = 0; from < matrix.Pods.Length; from++)
            {
                for (var to = 0; to < matrix.Pods.Length; to++)
                {
                    var key = (matrix.Pods[from].QualifiedName, matrix.Pods[to].QualifiedName, matrix.Ports[port].ToString());
                    var engine = matrix.IsAllowed(port, from, to);
                    var cell = observed.Cells[key];
                    allowed += cell.Allowed ? 1 : 0;
                    if (cell.Allowed != engine)
                    {
                        differences.Add((key.Item1, key.Item2, key.Item3, engine));
                    }

                    if (cell.LabExpects != engine)
                    {
                        mismatches.Add($"{scenario}, step {step}: {key.Item1} -> {key.Item2} {key.Item3}: the lab's own prediction is {Word(cell.LabExpects)}, the engine on the scenario's files says {Word(engine)} (the lab is not in the scenario's state)");
                    }
                }
            }
        }

        var again = differences.Any(d => d.Engine && observed.Cells[(d.From, d.To, d.Port)].Outcome == "timeout") ? Probe() : null;
        foreach (var (from, to, port, engine) in differences)
        {
            var first = observed.Cells[(from, to, port)];
            var askedTwice = engine && first.Outcome == "timeout";
            var cell = askedTwice ? again!.Cells[(from, to, port)] : first;
            if (askedTwice)
            {
                retries.Record($"{scenario}, step {step}: {from} -> {to} {port} (the engine allows it)", first.Outcome, cell.Outcome);
            }

            if (cell.Allowed != engine)
            {
                mismatches.Add($"{scenario}, step {step}: {from} -> {to} {port}: observed {Word(cell.Allowed)} ({cell.Outcome}{(askedTwice ? ", asked twice" : "")}), engine expects {Word(engine)}");
            }
        }

        return mismatches;
    }

    private ProbeResult Probe()
    {
        var (exitCode, stdout, stderr) = lab.Run(["probe", .. Ports.SelectMany(p => new[] { "--port", p.ToString() }), "-o", "json"]);
        Assert.True(exitCode is 0 or 3, $"maille probe exited with {exitCode}: {stderr}");
        var json = JsonNode.Parse(stdout)!;
        return new ProbeResult(
            [.. json["pods"]!.AsArray().Select(p => (string)p!)],
            json["connections"]!.AsArray().ToDictionary(
                c => ((string)c!["from"]!, (string)c["to"]!, (string)c["port"]!),
                c => new ProbeCell((bool)c!["allowed"]!, (bool)c["expected"]!, (string)c["outcome"]!)));
    }

    /// <summary>Pairs (self excluded) the port allowed before and denies after.</summary>
    private static List<string> NowDenied(ClusterState before, ClusterState after, PortProtocol port)
    {
        var (was, now) = (NetworkPolicyEvaluator.For(before), NetworkPolicyEvaluator.For(after));
        return [.. from source in before.Pods
                   from target in before.Pods
                   where source != target
                   where was.Evaluate(source, target, port.Port, port.Protocol).Allowed
                         && !now.Evaluate(after.PodsByName[source.QualifiedName], after.PodsByName[target.QualifiedName], port.Port, port.Protocol).Allowed
                   select $"{source.QualifiedName} -> {target.QualifiedName}"];
    }

    private static string Word(bool allowed) => allowed ? "allowed" : "denied";

    private sealed record ProbeCell(bool Allowed, bool LabExpects, string Outcome);

    private sealed record ProbeResult(IReadOnlyList<string> Pods, Dictionary<(string From, string To, string Port), ProbeCell> Cells);
}
