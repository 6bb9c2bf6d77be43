using BenchmarkDotNet.Attributes;
using Maille.Engine;
using Maille.Engine.Allocation;
using Maille.Engine.EndpointSlices;
using Maille.Engine.ServiceProxy;
using Maille.Kube;
using Maille.Lab.Labs;
using Maille.Model;

namespace Maille.Benchmarks;

/// <summary>
/// Issue 13: what a running lab of 10,000 Services does for one API change before its node agents program anything,
/// on the workload of <c>bench/svc-lab/run.sh</c> (<see cref="SyntheticLab"/>). The baseline is the shape of what every
/// change cost before (with today's loader and planner): converting every stored object again and planning the lab
/// with nothing kept but the allocations. The lab holds 10,001 Services with the cluster DNS.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 10)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class LabChangeBenchmarks
{
    private readonly ClusterConfig _config = ClusterConfig.Default with { NodeCount = 2 };
    private LabManifests _lab = LabManifests.Empty;
    private LabManifests _withService = LabManifests.Empty;
    private LabManifests _withoutPod = LabManifests.Empty;
    private DocumentLoadCache _loads = new();
    private EndpointSliceCache _slices = new();
    private ClusterState _published = null!;
    private NodeServicePlan _node1 = null!;
    private EquatableArray<Service> _added;

    /// <summary>A fixed creation time: the lab stamps objects as it accepts them.</summary>
    private static readonly DateTimeOffset UpAt = new(2026, 12, 5, 18, 0, 0, TimeSpan.Zero);

    [GlobalSetup]
    public void Setup()
    {
        _lab = LabManifests.Parse("lab.yaml", SyntheticLab.Yaml(10_000), UpAt);
        _withService = _lab.Apply(ManifestDocument.Parse("added.yaml", SyntheticLab.AddedService("added-1")), UpAt.AddMinutes(1)).Manifests;
        _withoutPod = _lab.Delete([new ObjectKey("", "Pod", "default", "flip-2")]).Manifests;
        _added = _loads.Load(_withService.Documents.Where(d => d.Key.Name == "added-1")).Manifests.Services;
        _published = Plan(_lab, PriorAllocations.None);
        _node1 = ServiceProxyPlanner.Plan(_published, "node-1");
        var added = Plan(_withService, PriorAllocations.From(_published));
        if (_published.Services.Count != 10_001 || added.Services.Count != 10_002 || Incremental() is null || ServiceAdded() != 10_002)
        {
            throw new InvalidOperationException("the synthetic lab did not plan as expected");
        }
    }

    private ClusterState Plan(LabManifests manifests, PriorAllocations prior)
    {
        var (set, diagnostics) = _loads.Load(manifests.Documents);
        return LabPlanner.Plan(set, diagnostics, _config, null, prior, _slices).Cluster!;
    }

    [Benchmark(Baseline = true, Description = "Service added: convert every object again, plan without the caches")]
    public int ColdPlan()
    {
        var (set, diagnostics) = new DocumentLoadCache().Load(_withService.Documents);
        return LabPlanner.Plan(set, diagnostics, _config, null, PriorAllocations.From(_published)).Cluster!.Services.Count;
    }

    [Benchmark(Description = "Service added: update without planning (ServiceChangeUpdate)")]
    public int ServiceAdded() => ServiceChangeUpdate.Apply(_published, [], _added, inputHasEndpointSlices: false)!.Services.Count;

    [Benchmark(Description = "Service added: plan with the lab's caches")]
    public int WarmPlan() => Plan(_withService, PriorAllocations.From(_published)).Services.Count;

    [Benchmark(Description = "Service added: plan with the lab's caches + node-1's proxy plan from its previous")]
    public int WarmPlanAndProxy()
    {
        var cluster = Plan(_withService, PriorAllocations.From(_published));
        return ServiceProxyPlanner.Plan(cluster, "node-1", (_published, _node1)).Ports.Count;
    }

    [Benchmark(Description = "pod deleted: update without planning (PodChangeUpdate)")]
    public int PodDeleted() => Incremental()!.Pods.Count;

    [Benchmark(Description = "pod deleted: plan with the lab's caches")]
    public int PodDeletedPlanned() => Plan(_withoutPod, PriorAllocations.From(_published)).Pods.Count;

    private ClusterState? Incremental() => PodChangeUpdate.Apply(_published, ["default/flip-2"], []);

    /// <summary>For a profiler: the warm Service-added plan <paramref name="count"/> times; prints the mean.</summary>
    public static int Loop(int count)
    {
        var benchmark = new LabChangeBenchmarks();
        benchmark.Setup();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            benchmark.WarmPlanAndProxy();
        }

        Console.WriteLine($"{clock.Elapsed.TotalMilliseconds / count:F1} ms per Service-added plan (+ node-1 proxy plan), {count} runs");
        return 0;
    }
}
