using System.Diagnostics;
using Maille.Lab.NodeAgents;
using Maille.Model;
using Maille.TestKit;
using Xunit.Abstractions;

namespace Maille.Lab.Tests.Policy;

// Privileged: the 24 conformance tests of network-policy-api v0.2.0 (ConformanceSuite, the same subtests and
// expectations Maille.Engine.Tests asks of the engine) against real packets, in one lab of the conformance world
// (tests/Maille.TestKit/fixtures/cnp-conformance.yaml: four houses' pods serving TCP 80/8080 and UDP 53/5353 on nodes
// node-1..3, the hostNetwork centaurs serving 34345-34351 in their nodes' namespaces). Each test's manifest is
// programmed into every node's table by its NodePolicyEnforcer (or, in the ebpf data plane, its tc programs' maps), and each patch of a subtest again; the connections a
// subtest pokes are probed in parallel from inside the pods' namespaces. This kernel has no SCTP
// (socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP) fails with EPROTONOSUPPORT and there is no module to load): an SCTP
// probe is an INIT chunk sent from a raw socket and seen arriving, or not, by one at the server (SctpInit).
public sealed class LabClusterNetworkPolicyConformanceTests(ITestOutputHelper output)
{
    /// <summary>In each data plane: nftables, and the ebpf one's tc programs on the pods' veths.</summary>
    [SkippableTheory]
    [InlineData(DataplaneKind.Nftables)]
    [InlineData(DataplaneKind.Ebpf)]
    public void The24ConformanceTests_RealPacketsMeetUpstreamsExpectations(DataplaneKind dataplane)
    {
        Privileged.Require();
        var clock = Stopwatch.StartNew();
        var run = new LiveConformanceRun(output);
        // Strict mode: a UDP probe may reuse the 5-tuple of a flow an earlier subtest allowed, which conntrack still
        // holds as established; only with its entry flushed is it judged again.
        using var lab = PolicyLab.Start(ConformanceCluster.Plan(new([], [])), new NodePolicyEnforcerOptions { FlushDeniedConnections = true }, servesDeclaredPorts: true, dataplane: dataplane);
        var built = clock.Elapsed;
        foreach (var test in ConformanceSuite.All)
        {
            LiveConformanceWorld? world = null;
            test.Run(manifests => world = new LiveConformanceWorld(lab, run, test.Name, manifests));
            world!.Flush();
            output.WriteLine($"{test.Name}: {run.Cases.Count(c => c.Test == test.Name)} subtests probed");
        }

        output.WriteLine($"lab built in {built.TotalSeconds:F1} s, 24 tests in {(clock.Elapsed - built).TotalSeconds:F1} s: {run.Probed} connections probed ({run.ProbedAllowed} expected to connect), "
            + $"{run.Cases.Count} subtests; {run.Retries}");
        Assert.True(run.Mismatches.Count == 0, string.Join("\n", run.Mismatches.Take(30)) + "\n" + run.Retries);
        Assert.Equal(92, run.Cases.Count);
        Assert.Equal(24, run.Cases.Select(c => c.Test).Distinct().Count());
        // Both fates in earnest: a lab where nothing connects, or everything does, fails one half.
        Assert.Equal(301, run.Probed);
        Assert.True(run.ProbedAllowed >= 50 && run.Probed - run.ProbedAllowed >= 50, $"{run.Probed} connections probed, {run.ProbedAllowed} expected to connect");
    }
}
