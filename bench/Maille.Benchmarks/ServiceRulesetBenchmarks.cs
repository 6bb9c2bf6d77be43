using BenchmarkDotNet.Attributes;
using Maille.Dataplane.Nftables;
using Maille.Engine.ServiceProxy;

namespace Maille.Benchmarks;

/// <summary>
/// Issue 5's render goals, without the kernel: the whole table for 10,000 Services × 10 endpoints (100,000 map
/// elements) as a model and as the full-sync transaction text, and the partial sync of one changed Service on top of
/// a table of 100 and of 10,000 Services (what a rollout step costs before libnftables sees it). The apply side is
/// measured by bench/svc/run.sh.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class ServiceRulesetBenchmarks
{
    private NodeServicePlan _plan = null!;
    private readonly Dictionary<int, (ServiceRulesetState State, NodeServicePlan Plan, NodeServicePlan Changed)> _applied = [];

    [Params(100, 10_000)]
    public int Services { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _plan = SyntheticServicePlan.Make(Services, 10);
        var state = new ServiceRulesetState();
        state.Commit(state.Prepare(_plan));
        _applied[Services] = (state, _plan, SyntheticServicePlan.WithOneChange(_plan, Services / 2, generation: 1));
    }

    [Benchmark(Description = "full table: model")]
    public int BuildModel() => ServiceRulesetBuilder.Build(_plan).ElementCount;

    [Benchmark(Description = "full table: model + transaction text")]
    public int FullSyncText() => new ServiceRulesetState().Prepare(_plan).Script.Length;

    [Benchmark(Description = "one Service changed: partial transaction")]
    public int OneChange()
    {
        var (state, _, changed) = _applied[Services];
        return state.Prepare(changed).CommandCount;
    }
}
