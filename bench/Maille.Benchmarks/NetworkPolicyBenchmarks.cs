using BenchmarkDotNet.Attributes;
using Maille.Engine;
using Maille.Engine.NetworkPolicies;
using Maille.Engine.Trace;
using Maille.Kube;
using Maille.Model;

namespace Maille.Benchmarks;

/// <summary>
/// Issue 3's targets: the full matrix for 5,000 pods in 100 namespaces with 1,000 policies and 2 ports (goal under
/// 2 s), and one trace at that size (goal under 10 ms). The manifest set is loaded and planned once in setup.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class NetworkPolicyBenchmarks
{
    private ClusterState _cluster = null!;
    private NetworkPolicyEvaluator _evaluator = null!;
    private TraceSource _source = null!;
    private TraceTarget _target = null!;
    private readonly PortProtocol[] _ports = [new(80, Protocol.TCP), new(53, Protocol.UDP)];

    [GlobalSetup]
    public void Setup()
    {
        var yaml = SyntheticPolicies.Yaml(namespaces: 100, pods: 5000, policies: 1000);
        var (manifests, diagnostics) = ManifestLoader.Load([new ManifestSource("policies.yaml", yaml)]);
        var result = ClusterPlanner.Plan(manifests, ClusterConfig.Default with { NodeCount = 25 }, diagnostics);
        _cluster = result.Cluster ?? throw new InvalidOperationException(string.Join("\n", result.Errors.Take(5)));
        if (_cluster.Pods.Count != 5000 || _cluster.NetworkPolicies.Count != 1000)
        {
            throw new InvalidOperationException("unexpected synthetic cluster size");
        }

        _evaluator = NetworkPolicyEvaluator.For(_cluster);
        var client = _cluster.PodsByName["ns-7/pod-7"];
        _source = new TraceSource(client, client.Status.PodIP!);
        _target = TraceTarget.TryParse($"{_cluster.PodsByName["ns-42/pod-4242"].Status.PodIP}:80", "cluster.local", out _)!;
        var matrix = ReachabilityMatrix.Compute(_evaluator, _cluster.Pods, _ports);
        Console.WriteLine($"// classes: {matrix.ClassCount}");

        // The bitsets must agree with the evaluator's verdicts at this scale too: check a seeded sample of cells.
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var (port, from, to) = (random.Next(matrix.Ports.Length), random.Next(matrix.Pods.Length), random.Next(matrix.Pods.Length));
            if (matrix.IsAllowed(port, from, to) != matrix[port, from, to].Allowed)
            {
                throw new InvalidOperationException($"IsAllowed disagrees with the verdict at {matrix.Ports[port]} {matrix.Pods[from].QualifiedName} -> {matrix.Pods[to].QualifiedName}");
            }
        }
    }

    [Benchmark(Baseline = true, Description = "Evaluator: build classes for 5,000 pods")]
    public int BuildEvaluator()
    {
        // Classes are lazy: classify every pod, as construction used to.
        var evaluator = NetworkPolicyEvaluator.For(_cluster);
        foreach (var pod in _cluster.Pods)
        {
            _ = evaluator.ClassOf(pod);
        }

        return evaluator.ClassCount;
    }

    [Benchmark(Description = "Evaluator: construction only (classes lazy)")]
    public int ConstructEvaluator() => NetworkPolicyEvaluator.For(_cluster).ClassCount;

    [Benchmark(Description = "Matrix: 5,000 × 5,000 pods × 2 ports (fresh evaluator)")]
    public int Matrix() => ReachabilityMatrix.Compute(NetworkPolicyEvaluator.For(_cluster), _cluster.Pods, _ports).Pods.Length;

    [Benchmark(Description = "Trace: one pod to one pod (evaluator built)")]
    public string TraceOne() => new Tracer(_cluster, _evaluator).Trace(_source, _target).Verdict;

    [Benchmark(Description = "Trace: one pod to one pod (fresh evaluator)")]
    public string TraceOneCold() => Tracer.For(_cluster).Trace(_source, _target).Verdict;

    [Benchmark(Description = "Matrix: every cell read once with IsAllowed (50 million)")]
    public int ReadEveryCell()
    {
        var matrix = ReachabilityMatrix.Compute(_evaluator, _cluster.Pods, _ports);
        var allowed = 0;
        for (var port = 0; port < matrix.Ports.Length; port++)
        {
            for (var from = 0; from < matrix.Pods.Length; from++)
            {
                for (var to = 0; to < matrix.Pods.Length; to++)
                {
                    allowed += matrix.IsAllowed(port, from, to) ? 1 : 0;
                }
            }
        }

        return allowed;
    }
}
