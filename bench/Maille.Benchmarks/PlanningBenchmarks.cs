using BenchmarkDotNet.Attributes;
using Maille.Engine;
using Maille.Kube;
using Maille.Model;

namespace Maille.Benchmarks;

/// <summary>
/// Issue 2's target: load, validate and plan 10,000 pods (2,000 Deployments × 5) and 2,000 Services in 100
/// namespaces on 50 nodes. The baseline is YamlDotNet parsing the same text into nodes (the floor for reading it);
/// KubernetesClient's own LoadAllFromString cannot be the baseline: it refuses a stream this size ("Too many parsing
/// events. The configured limit of 100000 was exceeded"), which is one reason Maille reads document by document.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class PlanningBenchmarks
{
    private string _yaml = "";
    private ManifestSet _manifests = ManifestSet.Empty;
    private readonly ClusterConfig _config = ClusterConfig.Default with { NodeCount = 50 };

    [GlobalSetup]
    public void Setup()
    {
        _yaml = SyntheticCluster.Yaml(services: 2000, podsPerService: 5, namespaces: 100);
        _manifests = ManifestLoader.Load([new ManifestSource("bench.yaml", _yaml)]).Manifests;
        var result = ClusterPlanner.Plan(_manifests, _config);
        if (!result.Succeeded || result.Cluster!.Pods.Count != 10_000 || result.Cluster.Services.Count != 2_000)
        {
            throw new InvalidOperationException("the synthetic cluster did not plan as expected: " + string.Join("\n", result.Diagnostics.Take(5)));
        }
    }

    [Benchmark(Baseline = true, Description = "YamlDotNet: parse to nodes only")]
    public int ParseOnly()
    {
        var stream = new YamlDotNet.RepresentationModel.YamlStream();
        stream.Load(new StringReader(_yaml));
        return stream.Documents.Count;
    }

    [Benchmark(Description = "Maille: load + validate")]
    public int LoadAndValidate() => ManifestLoader.Load([new ManifestSource("bench.yaml", _yaml)]).Manifests.Services.Count;

    [Benchmark(Description = "Maille: plan (allocate, schedule, slices)")]
    public int PlanOnly() => ClusterPlanner.Plan(_manifests, _config).Cluster!.Pods.Count;

    [Benchmark(Description = "Maille: load + validate + plan")]
    public int EndToEnd()
    {
        var (manifests, diagnostics) = ManifestLoader.Load([new ManifestSource("bench.yaml", _yaml)]);
        return ClusterPlanner.Plan(manifests, _config, diagnostics).Cluster!.Pods.Count;
    }
}
