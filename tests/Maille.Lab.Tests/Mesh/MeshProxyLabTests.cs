using Maille.TestKit;
using static Maille.TestKit.AuthorizationPolicyBuilder;
using static Maille.Lab.Tests.Mesh.MeshPods;
using static Maille.TestKit.PeerAuthenticationBuilder;

namespace Maille.Lab.Tests.Mesh;

// IP plan and pods: MeshPods. Each node's MeshNodeProxy serves its meshed pods; every pod answers "POD saw PEER: LINE"
// after reading a line.
public sealed class MeshProxyLabTests
{
    [SkippableFact]
    public async Task A_meshed_pod_reaches_a_meshed_pod_on_another_node_over_TLS_to_15008_and_the_server_sees_the_clients_address()
    {
        Privileged.Require();
        await using var lab = await MeshLab.StartAsync(With());
        lab.CountWire("node-2", "mesh/client", "mesh/server", 8080, "ping");

        // Several in a row: tunnels share the source proxy's HTTP/2 connection to the destination.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal($"mesh/server saw {lab.AddressOf("mesh/client")}: ping-maille-mesh", await lab.ExchangeAsync("mesh/client", "mesh/server", 8080));
        }

        var wire = lab.WireCounts("node-2");
        Assert.True(wire["hbone"] > 0, "nothing crossed to 15008");
        Assert.True(wire["tls"] > 0, "no TLS record crossed to 15008");
        Assert.Equal(0, wire["application"]);
        Assert.Equal(0, wire["plaintext"]);
    }

    [SkippableFact]
    public async Task A_ClusterIP_is_resolved_by_the_source_proxy_and_carried_over_HBONE()
    {
        Privileged.Require();
        var cluster = With();
        await using var lab = await MeshLab.StartAsync(cluster);
        lab.CountWire("node-2", "mesh/client", "mesh/server", 8080, "ping");
        var clusterIp = cluster.Services.Single(s => s.Name == "server").ClusterIP!;

        var answer = await lab.ExchangeAsync("mesh/client", clusterIp, 80);

        Assert.Equal($"mesh/server saw {lab.AddressOf("mesh/client")}: ping-maille-mesh", answer);
        Assert.True(lab.WireCounts("node-2")["tls"] > 0);
    }

    [SkippableFact]
    public async Task A_DENY_policy_refuses_and_the_reason_is_logged()
    {
        Privileged.Require();
        await using var lab = await MeshLab.StartAsync(With(Deny("mesh", "no-client").Rule(from: [Source("principals", "cluster.local/ns/mesh/sa/client")])));

        Assert.Equal("reset", await lab.ExchangeAsync("mesh/client", "mesh/server", 8080));
        Assert.Equal($"mesh/server saw {lab.AddressOf("mesh/other")}: ping-maille-mesh", await lab.ExchangeAsync("mesh/other", "mesh/server", 8080));
        Assert.Contains(lab.Log.Entries, e => e.EventId.Id == 1802 && e.Message.Contains("denied by AuthorizationPolicy mesh/no-client rule 0 (DENY)", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task An_ALLOW_policy_for_one_principal_admits_it_and_refuses_another_service_account()
    {
        Privileged.Require();
        var allow = Allow("mesh", "client-only").Selecting(("app", "server")).Rule(from: [Source("principals", "cluster.local/ns/mesh/sa/client")]);
        await using var lab = await MeshLab.StartAsync(With(allow));

        Assert.Equal($"mesh/server saw {lab.AddressOf("mesh/client")}: ping-maille-mesh", await lab.ExchangeAsync("mesh/client", "mesh/server", 8080));
        Assert.Equal("reset", await lab.ExchangeAsync("mesh/other", "mesh/server", 8080));
    }

    [SkippableTheory]
    [InlineData("STRICT", false)]
    [InlineData("PERMISSIVE", true)]
    public async Task Plaintext_from_a_pod_outside_the_mesh_is_refused_by_STRICT_and_accepted_by_PERMISSIVE(string mode, bool accepted)
    {
        Privileged.Require();
        await using var lab = await MeshLab.StartAsync(With(Namespace("mesh", mode)));

        var answer = await lab.ExchangeAsync("plain/legacy", "mesh/server", 8080);

        Assert.Equal(accepted ? $"mesh/server saw {lab.AddressOf("plain/legacy")}: ping-maille-mesh" : "reset", answer);
    }

    [SkippableFact]
    public async Task An_unmeshed_pair_is_untouched_and_a_meshed_pod_reaches_an_unmeshed_one_in_passthrough()
    {
        Privileged.Require();
        await using var lab = await MeshLab.StartAsync(With(Deny("mesh", "everything").Rule()));
        lab.CountWire("node-2", "plain/legacy", "plain/peer", 8080, "ping");

        Assert.Equal($"plain/peer saw {lab.AddressOf("plain/legacy")}: ping-maille-mesh", await lab.ExchangeAsync("plain/legacy", "plain/peer", 8080));
        var wire = lab.WireCounts("node-2");
        Assert.True(wire["application"] > 0 && wire["plaintext"] > 0, "the unmeshed pair should cross as it is");
        Assert.Equal(0, wire["hbone"]);
        Assert.Equal($"plain/peer saw {lab.AddressOf("mesh/client")}: ping-maille-mesh", await lab.ExchangeAsync("mesh/client", "plain/peer", 8080));
    }

    [SkippableFact]
    public async Task A_policy_applied_later_decides_the_next_connection()
    {
        Privileged.Require();
        await using var lab = await MeshLab.StartAsync(With());
        Assert.Equal($"mesh/server saw {lab.AddressOf("mesh/client")}: ping-maille-mesh", await lab.ExchangeAsync("mesh/client", "mesh/server", 8080));

        lab.Update(With(Deny("mesh", "no-client").Rule(from: [Source("principals", "cluster.local/ns/mesh/sa/client")])));

        Assert.Equal("reset", await lab.ExchangeAsync("mesh/client", "mesh/server", 8080));
    }

    [SkippableFact]
    public async Task Certificates_rotate_every_period_and_no_connection_fails_while_they_do()
    {
        Privileged.Require();
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var lab = await MeshLab.StartAsync(With(), clock, TimeSpan.FromMinutes(10));
        var client = new Maille.Lab.Workloads.PodId("mesh", "client");
        var first = lab.Proxies["node-1"].CertificateOf(client)!.Thumbprint;
        var expected = $"mesh/server saw {lab.AddressOf("mesh/client")}: ping-maille-mesh";

        // Bounded load: 8 clients, 5 exchanges each, while the proxies rotate every certificate 5 times.
        var load = Enumerable.Range(0, 8).Select(async _ =>
        {
            var answers = new List<string>();
            for (var i = 0; i < 5; i++)
            {
                answers.Add(await lab.ExchangeAsync("mesh/client", "mesh/server", 8080));
            }

            return answers;
        }).ToList();
        var thumbprints = new HashSet<string>(StringComparer.Ordinal) { first };
        for (var rotation = 0; rotation < 5; rotation++)
        {
            clock.Advance(TimeSpan.FromMinutes(10));
            thumbprints.Add(lab.Proxies["node-1"].CertificateOf(client)!.Thumbprint);
            await Task.Delay(20);
        }

        var answers = (await Task.WhenAll(load)).SelectMany(a => a).ToList();
        Assert.Equal(6, thumbprints.Count);
        Assert.All(answers, a => Assert.Equal(expected, a));
        Assert.Equal(expected, await lab.ExchangeAsync("mesh/client", "mesh/server", 8080));
        Assert.Contains(lab.Log.Entries, e => e.EventId.Id == 1810);
    }
}
