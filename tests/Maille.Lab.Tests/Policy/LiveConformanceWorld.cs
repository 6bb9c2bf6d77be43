using Maille.Model;
using Maille.TestKit;

namespace Maille.Lab.Tests.Policy;

/// <summary>
/// The conformance world (<see cref="ConformanceCluster"/>) answered by real packets in one <see cref="PolicyLab"/>
/// shared by every test: opening a world programs the nodes with its manifest's policies; the expectations are
/// gathered and probed in parallel when the world changes (before the nodes are programmed again) or is
/// <see cref="Flush"/>ed; what was seen goes to the <see cref="LiveConformanceRun"/>.
/// </summary>
internal sealed class LiveConformanceWorld : ConformanceCluster
{
    private readonly PolicyLab _lab;
    private readonly LiveConformanceRun _run;
    private readonly string _test;
    private readonly List<LiveConformanceProbe> _pending = [];

    public LiveConformanceWorld(PolicyLab lab, LiveConformanceRun run, string test, ConformanceManifests manifests)
        : base(Plan(manifests))
    {
        (_lab, _run, _test) = (lab, run, test);
        var moved = Planned.Pods.Where(p => p.Status.PodIP is not null && !p.Status.PodIP.Equals(lab.Cluster.PodsByName[p.QualifiedName].Status.PodIP)).ToList();
        Assert.True(moved.Count == 0, $"{test}: the planner placed {string.Join(", ", moved.Select(p => p.QualifiedName))} elsewhere than in the lab");
        _lab.Sync(State());
    }

    public override void Expect(string from, string to, int port, Protocol protocol, bool allowed) =>
        _pending.Add(new LiveConformanceProbe(_test, CaseTitle, from, to, new(port, protocol), allowed));

    /// <summary>Probes what is pending against the rules the nodes hold now.</summary>
    public void Flush()
    {
        _run.Probe(_lab, _pending).GetAwaiter().GetResult();
        _pending.Clear();
    }

    /// <summary>The expectations so far were about the rules before this change: probe them, then program the change.</summary>
    protected override void Changed()
    {
        Flush();
        _lab.Sync(State());
    }
}
