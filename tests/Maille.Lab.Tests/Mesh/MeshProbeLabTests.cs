using System.Text.Json.Nodes;
using Maille.Engine.Mesh;
using Maille.Engine.NetworkPolicies;
using Maille.Model;
using Maille.TestKit;
using Xunit.Abstractions;
using static Maille.Lab.Tests.Mesh.MeshPods;
using static Maille.TestKit.AuthorizationPolicyBuilder;
using static Maille.TestKit.PeerAuthenticationBuilder;

namespace Maille.Lab.Tests.Mesh;

// Privileged: `maille up` of MeshPods (a meshed namespace and a plain one over three nodes) and `maille probe` against it.
public sealed class MeshProbeLabTests(ITestOutputHelper output)
{
    /// <summary>
    /// mesh/client is denied by a principal rule and plain/legacy's plaintext by STRICT: both connect at once (to their own
    /// node proxy, or to the destination's, which accepts before it judges), so only an exchange tells the refusal.
    /// </summary>
    [SkippableTheory]
    [InlineData("nftables")]

    // ("ebpf" passed three times here and once in CI, then timed out once on an admitted pair right after `up`, in CI:
    // left out until that is understood; docs/mesh.md "What is left".)
    public void Probe_on_a_meshed_lab_with_a_DENY_policy_reports_no_mismatch_and_counts_the_refused_pairs_as_refused(string dataplane)
    {
        Privileged.Require();
        var manifests = Yaml(
            Deny("mesh", "no-client").Selecting(("app", "server")).Rule(from: [Source("principals", "cluster.local/ns/mesh/sa/client")]),
            Namespace("mesh", "STRICT"));
        using var lab = LiveLab.Up(manifests, output, "--dataplane", dataplane);

        var (exitCode, stdout, stderr) = lab.Run("probe", "--port", "8080/TCP", "-o", "json");

        output.WriteLine(stderr);
        var json = JsonNode.Parse(stdout)!;
        var cells = json["connections"]!.AsArray().ToDictionary(c => ((string)c!["from"]!, (string)c["to"]!), c => ((bool)c!["allowed"]!, (bool)c["expected"]!, (string)c["outcome"]!));
        Assert.True(exitCode == 0, $"probe exited with {exitCode}: {stderr}\n{json["mismatches"]}");
        Assert.Empty(json["mismatches"]!.AsArray());
        Assert.Equal(5 * 5, cells.Count);

        // Refused by the mesh after NetworkPolicy allowed them: the matrix's M cells, each observed as refused.
        var cluster = With(Deny("mesh", "no-client").Selecting(("app", "server")).Rule(from: [Source("principals", "cluster.local/ns/mesh/sa/client")]), Namespace("mesh", "STRICT"));
        var matrix = ReachabilityMatrix.Compute(NetworkPolicyEvaluator.For(cluster), cluster.Pods, [new PortProtocol(8080, Protocol.TCP)], MeshAuthorizer.For(cluster));
        var refusedByMesh = (from f in Enumerable.Range(0, matrix.Pods.Length)
                             from t in Enumerable.Range(0, matrix.Pods.Length)
                             where matrix.DeniedByMesh(0, f, t)
                             select (matrix.Pods[f].QualifiedName, matrix.Pods[t].QualifiedName)).ToList();
        Assert.Contains(("mesh/client", "mesh/server"), refusedByMesh);
        Assert.Contains(("plain/legacy", "mesh/server"), refusedByMesh);
        Assert.All(refusedByMesh, pair => Assert.Equal((false, false), (cells[pair].Item1, cells[pair].Item2)));
        Assert.All(refusedByMesh, pair => Assert.Contains(cells[pair].Item3, new[] { "reset", "closed" }));

        // What the mesh admits is answered by the pod's server, over HBONE and in passthrough; a pair outside the mesh is a plain connect.
        foreach (var admitted in new[] { ("mesh/other", "mesh/server"), ("mesh/client", "plain/peer") })
        {
            Assert.Equal((true, true), (cells[admitted].Item1, cells[admitted].Item2));
            Assert.StartsWith("answered HTTP/1.1 200", cells[admitted].Item3, StringComparison.Ordinal);
        }

        Assert.Equal((true, true, "connected"), cells[("plain/legacy", "plain/peer")]);

        // The server's node proxy counted what the probe did, with Istio's names, on its node's 15020.
        var serverNode = lab.Get("pods", "-n", "mesh", "server")["status"]!["hostIP"]!.GetValue<string>();
        var scrape = lab.Exec("plain/legacy", "curl", "-s", "-m", "3", $"http://{serverNode}:15020/stats/prometheus");
        Assert.True(scrape.ExitCode == 0, scrape.Stderr);
        var samples = new PrometheusSamples(scrape.Stdout);
        Assert.True(samples.Sum("istio_tcp_connections_closed_total", ("reporter", "destination"), ("source_principal", "spiffe://cluster.local/ns/mesh/sa/client"), ("response_flags", "DENY")) >= 1, scrape.Stdout);
        Assert.True(samples.Sum("istio_tcp_connections_closed_total", ("reporter", "destination"), ("source_workload", "other"), ("connection_security_policy", "mutual_tls"), ("response_flags", "-")) >= 1, scrape.Stdout);

        // trace --lab: NetworkPolicy walked on 15008 (HBONE), then the live node proxy's decision, as the engine predicts.
        foreach (var (from, verdict, policy) in new[] { ("mesh/client", "denied", "mesh/no-client"), ("mesh/other", "allowed", (string?)null) })
        {
            var trace = lab.Run("trace", "--from", from, "--to", "mesh/server:8080", "-o", "json");
            Assert.True(trace.ExitCode is 0 or 1, trace.Stderr);
            var live = JsonNode.Parse(trace.Stdout)!["nftables"]!;
            var entry = live["policy"]!.AsArray().Single()!;
            var walks = dataplane == "ebpf" ? entry["ebpf"]!.AsArray() : entry["walks"]!.AsArray();
            Assert.NotEmpty(walks);
            Assert.All(walks, w => Assert.Equal(15008, (int)w!["port"]!));
            Assert.Equal(verdict, (string)entry["mesh"]!["verdict"]!);
            Assert.Equal(policy, (string?)entry["mesh"]!["policy"]);
            Assert.Equal(verdict, (string)entry["verdict"]!);
            Assert.True((bool)entry["agreesWithEngine"]!, trace.Stdout);
            Assert.Empty(live["disagreements"]!.AsArray());
        }

        var text = lab.Run("trace", "--from", "mesh/client", "--to", "mesh/server:8080").Stdout;
        Assert.Matches(@"node proxy on node-2: denied: .*mesh/no-client rule 0 \(DENY\)\n    live: denied, as the engine predicts", text);
    }
}
