using BenchmarkDotNet.Attributes;
using Maille.Engine;
using Maille.Engine.Allocation;
using Maille.Engine.EndpointSlices;
using Maille.Kube;
using Maille.Lab.Api;
using Maille.Lab.Labs;
using Maille.Model;

namespace Maille.Benchmarks;

/// <summary>
/// What publishing one change to the lab's API costs at 10,000 Services (<c>LabStore.Update</c>: versions, watch
/// events, the served view), on the workload of <c>bench/svc-lab/run.sh</c> (<see cref="SyntheticLab"/>). Every
/// operation publishes a pod deleted and then published again, as the lab does for a user's delete and create. The
/// baseline publishes the same two states with a node going down and up instead: a fact of every object changes, so
/// every object is worked out again. The others differ in what the store is told of the desired state: nothing but
/// its documents (each object's facts compared), the change that made it (<c>LabManifests.ChangedFrom</c>: only the
/// pod's facts looked at; the delete and the apply of the desired state are in the time), or the very same state.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 10)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class LabStoreBenchmarks
{
    private static readonly DateTimeOffset UpAt = new(2026, 12, 5, 18, 0, 0, TimeSpan.Zero);

    private ClusterState _published = null!;
    private ClusterState _withoutPod = null!;
    private ServedFacts _facts = ServedFacts.None;
    private ServedFacts _factsWithoutPod = ServedFacts.None;
    private ServedFacts _nodeDown = ServedFacts.None;
    private LabStore _store = null!;
    private LabManifests _desired = LabManifests.Empty;
    private string _podYaml = "";
    private static readonly ObjectKey Flip2 = new("", "Pod", "default", "flip-2");

    [GlobalSetup]
    public void Setup()
    {
        var lab = LabManifests.Parse("lab.yaml", SyntheticLab.Yaml(10_000), UpAt);
        var withoutPod = lab.Delete([Flip2]).Manifests;
        _desired = lab;
        lab.TryGet(Flip2, out var flip2);
        _podYaml = flip2.ToYaml();
        var loads = new DocumentLoadCache();
        var slices = new EndpointSliceCache();
        var (set, diagnostics) = loads.Load(lab.Documents);
        _published = LabPlanner.Plan(set, diagnostics, ClusterConfig.Default with { NodeCount = 2 }, null, PriorAllocations.None, slices).Cluster!;
        _withoutPod = PodChangeUpdate.Apply(_published, ["default/flip-2"], [])!;
        _facts = new ServedFacts { Written = lab.ByKey, Managed = lab.ManagedFields };
        _factsWithoutPod = new ServedFacts { Written = withoutPod.ByKey, Managed = withoutPod.ManagedFields };
        _nodeDown = _facts with { DownNodes = new HashSet<string>(StringComparer.Ordinal) { "node-2" } };
        _store = new LabStore(null);
        _store.Update(_published, _facts);
        if (_published.Services.Count != 10_001 || _withoutPod.Pods.Count != _published.Pods.Count - 1)
        {
            throw new InvalidOperationException("the synthetic lab did not plan as expected");
        }
    }

    [Benchmark(Baseline = true, Description = "a node down and up: every object's facts change")]
    public long NodeDownAndUp()
    {
        _store.Update(_published, _nodeDown);
        _store.Update(_published, _facts);
        return _store.PublishedVersion;
    }

    [Benchmark(Description = "a pod deleted and made again, told the desired state only: each object's facts compared")]
    public long PodDeletedAndMade()
    {
        _store.Update(_withoutPod, _factsWithoutPod);
        _store.Update(_published, _facts);
        return _store.PublishedVersion;
    }

    [Benchmark(Description = "a pod deleted and made again, the facts the very same (a readiness change's shape)")]
    public long PodDeletedAndMadeFactsKept()
    {
        _store.Update(_withoutPod, _facts);
        _store.Update(_published, _facts);
        return _store.PublishedVersion;
    }

    [Benchmark(Description = "a pod deleted and made again, told the change of the desired state: the pod's facts looked at")]
    public long PodDeletedAndMadeChangeKnown()
    {
        var without = _desired.Delete([Flip2]).Manifests;
        _store.Update(_withoutPod, Facts(without));
        _desired = without.Apply(ManifestDocument.Parse("pod.yaml", _podYaml), UpAt).Manifests;
        _store.Update(_published, Facts(_desired));
        return _store.PublishedVersion;
    }

    private static ServedFacts Facts(LabManifests desired) =>
        new() { Written = desired.ByKey, Managed = desired.ManagedFields, WrittenVersion = desired.Version, WrittenChange = desired.ChangedFrom };
}
