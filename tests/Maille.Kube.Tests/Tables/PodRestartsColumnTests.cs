using Maille.Kube.Tables;
using Maille.TestKit;

namespace Maille.Kube.Tests.Tables;

/// <summary>kubectl's RESTARTS column of pods, from what the kubelet (the lab) reports of their containers.</summary>
public sealed class PodRestartsColumnTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_restarted_pod_shows_its_count_and_how_long_ago_its_last_run_ended_and_the_others_show_0()
    {
        var cluster = Cluster.Valid("""
            apiVersion: v1
            kind: Pod
            metadata: {name: agent, namespace: default}
            spec:
              containers: [{name: main, image: agent:1}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: steady, namespace: default}
            spec:
              containers: [{name: main, image: web:1}]
            """);
        var restarts = new Dictionary<string, ContainerRestarts>(StringComparer.Ordinal)
        {
            ["default/agent"] = new(2, 137, "Error", Now.AddSeconds(-12), Now.AddSeconds(-11)),
        };

        var table = new ResourceTables(cluster, new ManualTimeProvider(Now), restarts: restarts).Pods(cluster.Pods, wide: false, allNamespaces: false);

        var column = table.Headers.ToList().IndexOf("RESTARTS");
        Assert.Equal("2 (12s ago)", table.Rows.Single(r => r[0] == "agent")[column]);
        Assert.Equal("0", table.Rows.Single(r => r[0] == "steady")[column]);
    }
}
