using BenchmarkDotNet.Attributes;
using Maille.Engine;
using Maille.Engine.NetworkPolicies;
using Maille.Kube;
using Maille.Model;

namespace Maille.Benchmarks;

/// <summary>
/// Issue 6's compilation cost: 1,000 policies over 1,000 pods in 20 namespaces on 3 nodes
/// (<see cref="SyntheticPolicies"/>), each node's enforcement plan computed from the planned cluster, as a node agent
/// does on every change.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class PolicyEnforcementBenchmarks
{
    private ClusterState _cluster = null!;

    [GlobalSetup]
    public void Setup()
    {
        var yaml = SyntheticPolicies.Yaml(namespaces: 20, pods: 1000, policies: 1000);
        var (manifests, diagnostics) = ManifestLoader.Load([new ManifestSource("policies.yaml", yaml)]);
        var result = ClusterPlanner.Plan(manifests, ClusterConfig.Default with { NodeCount = 3 }, diagnostics);
        _cluster = result.Cluster ?? throw new InvalidOperationException(string.Join("\n", result.Errors.Take(5)));
        if (_cluster.Pods.Count != 1000 || _cluster.NetworkPolicies.Count != 1000)
        {
            throw new InvalidOperationException("unexpected synthetic cluster size");
        }

        var plan = NodePolicyPlanner.Plan(_cluster, "node-1");
        Console.WriteLine($"// node-1: {plan.Pods.Count} pods, {plan.Chains.Count} chains, {plan.Chains.Sum(c => c.Rules.Count)} compiled rules, "
            + $"{plan.PeerSets.Count} peer sets ({plan.PeerSets.Sum(s => s.Members.Count)} elements), {plan.NamedPortSets.Count} named-port sets "
            + $"({plan.NamedPortSets.Sum(s => s.Members.Count)} elements), {plan.CountedRules.Count()} counters");
    }

    [Benchmark(Description = "Plan one node (1,000 policies, 1,000 pods)")]
    public int PlanOneNode() => NodePolicyPlanner.Plan(_cluster, "node-1").Chains.Count;
}
