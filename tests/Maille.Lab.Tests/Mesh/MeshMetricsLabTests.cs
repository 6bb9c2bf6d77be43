using Maille.TestKit;
using static Maille.Lab.Tests.Mesh.MeshPods;
using static Maille.TestKit.AuthorizationPolicyBuilder;
using static Maille.TestKit.PeerAuthenticationBuilder;

namespace Maille.Lab.Tests.Mesh;

// IP plan and pods: MeshPods (mesh/client and mesh/other on node-1, mesh/server behind Service mesh/server on node-2,
// plain/legacy outside the mesh). Each node proxy serves its metrics on the node's address, port 15020.
public sealed class MeshMetricsLabTests
{
    private const string Opened = "istio_tcp_connections_opened_total";
    private const string Closed = "istio_tcp_connections_closed_total";
    private const string Received = "istio_tcp_received_bytes_total";
    private const string Sent = "istio_tcp_sent_bytes_total";
    private const string ClientPrincipal = "spiffe://cluster.local/ns/mesh/sa/client";
    private const string ServerHost = "server.mesh.svc.cluster.local";

    // The line every MeshLab exchange sends (ExchangeAsync's default message).
    private const int Request = 17;

    [SkippableFact]
    public async Task Each_connection_is_counted_by_the_source_and_the_destination_proxy_with_Istios_names_labels_and_bytes()
    {
        Privileged.Require();
        var cluster = With();
        await using var lab = await MeshLab.StartAsync(cluster);
        var answers = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add(await lab.ExchangeAsync("mesh/client", "mesh/server", 8080));
        }

        answers.Add(await lab.ExchangeAsync("mesh/client", cluster.Services.Single(s => s.Name == "server").ClusterIP!, 80));
        Assert.All(answers, a => Assert.StartsWith("mesh/server saw", a, StringComparison.Ordinal));

        (string, string)[] mtlsFromClient =
        [
            ("source_workload", "client"), ("source_workload_namespace", "mesh"), ("source_canonical_service", "client"), ("source_app", "client"),
            ("source_canonical_revision", "latest"), ("source_principal", ClientPrincipal), ("source_cluster", "Kubernetes"),
            ("destination_workload", "server"), ("destination_workload_namespace", "mesh"), ("destination_principal", "spiffe://cluster.local/ns/mesh/sa/server"),
            ("request_protocol", "tcp"), ("connection_security_policy", "mutual_tls"),
        ];
        var destination = await ClosedAsync(lab, "node-2", 4, [("reporter", "destination"), .. mtlsFromClient]);
        var source = await ClosedAsync(lab, "node-1", 4, [("reporter", "source"), .. mtlsFromClient]);

        // The destination guesses the Service from the endpoint (the server is the one endpoint of mesh/server); the
        // source knows it only when the client dialled the ClusterIP.
        Assert.Equal(4, destination.Sum(Opened, [("reporter", "destination"), ("destination_service", ServerHost), ("destination_service_name", "server"), ("destination_service_namespace", "mesh"), .. mtlsFromClient]));
        Assert.Equal(1, source.Sum(Opened, [("reporter", "source"), ("destination_service", ServerHost), .. mtlsFromClient]));
        Assert.Equal(3, source.Sum(Opened, [("reporter", "source"), ("destination_service", "unknown"), .. mtlsFromClient]));
        foreach (var (samples, reporter) in new[] { (destination, "destination"), (source, "source") })
        {
            Assert.Equal(4, samples.Sum(Closed, ("reporter", reporter), ("response_flags", "-")));
            Assert.Equal(4 * Request, samples.Sum(Received, ("reporter", reporter)));
            Assert.Equal(answers.Sum(a => a.Length), samples.Sum(Sent, ("reporter", reporter)));
        }
    }

    [SkippableFact]
    public async Task A_connection_an_AuthorizationPolicy_denies_is_opened_then_closed_with_DENY_on_both_sides()
    {
        Privileged.Require();
        await using var lab = await MeshLab.StartAsync(With(Deny("mesh", "no-client").Rule(from: [Source("principals", "cluster.local/ns/mesh/sa/client")])));

        Assert.Equal("reset", await lab.ExchangeAsync("mesh/client", "mesh/server", 8080));

        var destination = await ClosedAsync(lab, "node-2", 1, ("reporter", "destination"), ("source_principal", ClientPrincipal), ("response_flags", "DENY"));
        var source = await ClosedAsync(lab, "node-1", 1, ("reporter", "source"), ("source_principal", ClientPrincipal), ("response_flags", "DENY"));
        Assert.Equal(1, destination.Sum(Opened, ("reporter", "destination"), ("response_flags", "-")));
        Assert.Equal(1, source.Sum(Opened, ("reporter", "source"), ("response_flags", "-")));
        Assert.Equal(0, destination.Sum(Closed, ("response_flags", "-")));
        Assert.Equal(0, destination.Sum(Received));
    }

    [SkippableTheory]
    [InlineData("PERMISSIVE", "-")]
    [InlineData("STRICT", "DENY")]
    public async Task Plaintext_from_outside_the_mesh_is_reported_by_the_destination_without_identity(string mode, string flags)
    {
        Privileged.Require();
        await using var lab = await MeshLab.StartAsync(With(Namespace("mesh", mode)));

        await lab.ExchangeAsync("plain/legacy", "mesh/server", 8080);

        var samples = await ClosedAsync(lab, "node-2", 1, ("reporter", "destination"), ("source_workload", "legacy"), ("source_workload_namespace", "plain"),
            ("source_principal", "unknown"), ("destination_workload", "server"), ("connection_security_policy", "unknown"), ("response_flags", flags));
        Assert.Equal(1, samples.Sum(Opened, ("reporter", "destination"), ("source_workload", "legacy")));
    }

    [SkippableFact]
    public async Task Metrics_are_served_at_ztunnels_paths_to_the_node_and_to_pods_and_nothing_else_is()
    {
        Privileged.Require();
        await using var lab = await MeshLab.StartAsync(With());
        await lab.ExchangeAsync("mesh/client", "mesh/server", 8080);

        foreach (var (path, from) in new[] { ("/stats/prometheus", (string?)null), ("/metrics", null), ("/stats/prometheus", "plain/legacy") })
        {
            var (status, body) = await lab.ScrapeAsync("node-2", path, from);
            Assert.Equal(200, status);
            Assert.Contains($"# TYPE {Opened} counter", body, StringComparison.Ordinal);
        }

        Assert.Equal(404, (await lab.ScrapeAsync("node-2", "/debug")).Status);
    }

    /// <summary>
    /// The node's samples once <paramref name="count"/> connections with <paramref name="labels"/> are closed (a
    /// proxy counts the close after the client has read the answer).
    /// </summary>
    private static async Task<PrometheusSamples> ClosedAsync(MeshLab lab, string node, int count, params (string, string)[] labels)
    {
        var waited = await Poll.UntilAsync(
            $"{node} counts {count} closed {string.Join(',', labels)}",
            async () => new PrometheusSamples((await lab.ScrapeAsync(node)).Body),
            s => s.Sum(Closed, labels) >= count,
            timeout: TimeSpan.FromSeconds(10),
            interval: TimeSpan.FromMilliseconds(100));
        Assert.True(waited.Met, waited + "\n" + waited.Last.Text);
        Assert.Equal(count, waited.Last.Sum(Closed, labels));
        return waited.Last;
    }
}
