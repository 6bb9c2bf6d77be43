using System.Net;
using System.Text.Json.Nodes;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Lab.Tests.Labs;

// Privileged: NetworkPolicy observed in a running lab, end to end through `maille up`. LabServiceTests' cluster (web-1 on
// node-1 and web-2 on node-2 behind Service web, ClusterIP 80 → http 8080; a client in namespace "other" on node-3)
// plus an intruder in namespace "outside" on node-3. default/deny-all isolates every pod of default for ingress;
// default/allow-other admits namespace other on http (rule 0) and the node network on 9999 (rule 1, which no traffic
// uses).
public sealed class LabPolicyTests(Xunit.Abstractions.ITestOutputHelper output)
{
    internal const string Manifests = LabServiceTests.Manifests + """

        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: intruder, namespace: outside}
        spec: {nodeName: node-3, containers: [{name: c}]}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: deny-all}
        spec: {podSelector: {}, policyTypes: [Ingress]}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: allow-other}
        spec:
          podSelector: {matchLabels: {app: web}}
          ingress:
          - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: other}}}]
            ports: [{port: http}]
          - from: [{ipBlock: {cidr: 198.18.0.0/24}}]
            ports: [{port: 9999}]
        """;

    [SkippableTheory]
    [InlineData(DataplaneKind.Nftables)]
    [InlineData(DataplaneKind.Ebpf)]
    public void Trace_on_a_running_lab_names_the_policy_rule_and_the_data_plane_s_rule_or_map_entry_that_allowed_or_rejected_each_endpoint(DataplaneKind dataplane)
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Manifests, output, dataplane);
        var client = (string)lab.Get("pods", "client", "-n", "other")["status"]!["podIP"]!;
        var intruder = (string)lab.Get("pods", "intruder", "-n", "outside")["status"]!["podIP"]!;

        // Allowed: both endpoints of the Service, each judged on node-3 (the client's egress, not isolated) and then
        // on its own node by allow-other's rule 0.
        var allowed = TraceJson(lab, "other/client", "web.default:80");
        Assert.Equal("allowed", (string?)allowed["verdict"]);
        var endpoints = allowed["nftables"]!["policy"]!.AsArray();
        Assert.Equal(2, endpoints.Count);
        foreach (var endpoint in endpoints)
        {
            Assert.Equal("allowed", (string?)endpoint!["verdict"]);
            Assert.True((bool)endpoint["agreesWithEngine"]!, endpoint.ToJsonString());
            var endpointNode = (string)endpoint["pod"]! == "default/web-1" ? "node-1" : "node-2";
            if (dataplane == DataplaneKind.Nftables)
            {
                var walks = endpoint["walks"]!.AsArray();
                Assert.Equal(["node-3", endpointNode], walks.Select(w => (string)w!["node"]!));
                Assert.Equal("not isolated", (string?)walks[0]!["egress"]!["verdict"]);
                var ingress = walks[1]!["ingress"]!;
                Assert.Equal("allowed", (string?)ingress["verdict"]);
                Assert.Equal("default/allow-other", (string?)ingress["policy"]);
                Assert.Equal(0, (int)ingress["ruleIndex"]!);
                Assert.StartsWith((string)ingress["chain"]! + "#", (string?)ingress["nftables"], StringComparison.Ordinal);
            }
            else
            {
                // The tc programs' maps: the client's egress on node-3 has no chain; the endpoint's ingress on its node
                // reaches allow-other's rule 0 through its chain, the client's address and the port.
                var walks = endpoint["ebpf"]!.AsArray();
                Assert.Equal([("node-3", "egress"), (endpointNode, "ingress")], walks.Select(w => ((string)w!["node"]!, (string)w["direction"]!)));
                Assert.Equal(("allowed", null), ((string?)walks[0]!["verdict"], (string?)walks[0]!["decidedBy"]));
                Assert.Equal("egress chain 0: not isolated: allowed", (string)walks[0]!["steps"]!.AsArray()[^1]!);
                var ingress = walks[1]!;
                Assert.Equal(("allowed", "ingress/default/allow-other/0", client), ((string?)ingress["verdict"], (string?)ingress["decidedBy"], (string?)ingress["peer"]));
                Assert.StartsWith($"pods[{endpoint["endpoint"]!.ToString().Split(':')[0]}] → ingress chain ", (string)ingress["steps"]![0]!, StringComparison.Ordinal);
                Assert.Contains(ingress["steps"]!.AsArray(), s => ((string)s!).StartsWith($"peers[", StringComparison.Ordinal) && ((string)s!).Contains(client, StringComparison.Ordinal));
                Assert.Contains(ingress["steps"]!.AsArray(), s => ((string)s!).StartsWith("ports[", StringComparison.Ordinal) && ((string)s!).Contains("ingress/default/allow-other/0", StringComparison.Ordinal));
            }
        }

        Assert.Empty(allowed["nftables"]!["disagreements"]!.AsArray());

        // Rejected: the intruder reaches no endpoint; the rule (or the chain's end) that rejected it is the one the walk ended on.
        var denied = TraceJson(lab, "outside/intruder", "web.default:80");
        Assert.Equal("denied", (string?)denied["verdict"]);
        Assert.Equal(2, denied["nftables"]!["policy"]!.AsArray().Count);
        foreach (var endpoint in denied["nftables"]!["policy"]!.AsArray())
        {
            Assert.Equal("denied", (string?)endpoint!["verdict"]);
            Assert.True((bool)endpoint["agreesWithEngine"]!);
            if (dataplane == DataplaneKind.Nftables)
            {
                var walk = endpoint["walks"]!.AsArray()[^1]!;
                Assert.Equal("rejected", (string?)walk["verdict"]);
                Assert.Equal("denied", (string?)walk["ingress"]!["verdict"]);
                Assert.Equal((string?)walk["decision"], (string?)walk["ingress"]!["nftables"]);
                Assert.Equal(["default/allow-other", "default/deny-all"], walk["ingress"]!["isolatedBy"]!.AsArray().Select(p => (string)p!));
            }
            else
            {
                var walk = endpoint["ebpf"]!.AsArray()[^1]!;
                Assert.Equal(("ingress", "denied", intruder), ((string?)walk["direction"], (string?)walk["verdict"], (string?)walk["peer"]));
                Assert.Matches("^deny/ingress-[0-9a-f]+$", (string?)walk["decidedBy"]);
                Assert.Equal($"no rule allows it: denied at the chain's end ({walk["decidedBy"]})", (string)walk["steps"]!.AsArray()[^1]!);
            }
        }

        // The kernel agrees with the walk: the intruder's connection is rejected at once (ICMP admin-prohibited: curl
        // cannot connect, exit 7), the client's goes through. Both curls run in the pods' namespaces and the lab's cgroup.
        var web = ClusterIP(lab, "web");
        Assert.Equal(7, lab.Exec("outside/intruder", "curl", "-s", "-m", "3", $"http://{web}:80/hostname").ExitCode);
        Assert.StartsWith("default/web-", PodCurl.Answers(lab, "other/client", web, 80, "/hostname", 1).Single(), StringComparison.Ordinal);

        // The text form says the same in sentences.
        var text = lab.Run("trace", "--from", "other/client", "--to", "default/web-1:8080").Stdout;
        var refused = lab.Run("trace", "--from", "outside/intruder", "--to", "default/web-2:8080").Stdout;
        if (dataplane == DataplaneKind.Nftables)
        {
            Assert.Matches(@"ingress of default/web-1: allowed by default/allow-other ingress rule 0 port 0 at ingress-[0-9a-f]+#\d+\n    live: allowed, as the engine predicts", text);
            Assert.Matches(@"node-2 \(table ip maille-policy, 198\.19\.3\.\d+ → 198\.19\.2\.\d+:8080/tcp\): rejected\n", refused);
            Assert.Matches(@"ingress of default/web-2: denied at ingress-[0-9a-f]+#\d+: no rule of default/allow-other, default/deny-all allows it\n    live: denied, as the engine predicts", refused);
        }
        else
        {
            Assert.Matches(@"node-1 \(ebpf maps, ingress of 198\.19\.1\.\d+, peer 198\.19\.3\.\d+, 8080/tcp\): allowed\n(      .*\n)*      allowed by ingress/default/allow-other/0\n", text);
            Assert.Matches(@"node-2 \(ebpf maps, ingress of 198\.19\.2\.\d+, peer 198\.19\.3\.\d+, 8080/tcp\): denied\n(      .*\n)*      no rule allows it: denied at the chain's end \(deny/ingress-[0-9a-f]+\)\n", refused);
            Assert.Contains("live: denied, as the engine predicts", refused, StringComparison.Ordinal);
        }
    }

    /// <summary>In each data plane: nftables' rule counters, and the tc programs' <c>counters</c> map.</summary>
    [SkippableTheory]
    [InlineData(DataplaneKind.Nftables)]
    [InlineData(DataplaneKind.Ebpf)]
    public void After_real_traffic_the_rule_that_allowed_it_counts_it_on_every_node_and_an_unused_rule_stays_at_zero(DataplaneKind dataplane)
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Manifests, output, dataplane);
        const int Requests = 6;
        var answers = PodCurl.Answers(lab, "other/client", ClusterIP(lab, "web"), 80, "/hostname", Requests);
        Assert.Equal(Requests, answers.Count);
        Assert.All(answers, a => Assert.StartsWith("default/web-", a, StringComparison.Ordinal));

        // Each connection's first packet meets rule 0 once, on its endpoint's node (a lost SYN sent again would count twice).
        var items = LabMailleApi.Get(lab, "policycounters")["items"]!.AsArray();
        var rule0 = items.Single(i => (string?)i!["counter"] == "ingress/default/allow-other/0")!;
        Assert.InRange((long)rule0["packets"]!, Requests, Requests + 2);
        Assert.True((long)rule0["bytes"]! > 0);
        Assert.Subset(new HashSet<string> { "node-1", "node-2" }, rule0["nodes"]!.AsArray().Select(n => (string)n!["node"]!).ToHashSet());
        Assert.Equal(0, (long)items.Single(i => (string?)i!["counter"] == "ingress/default/allow-other/1")!["packets"]!);

        var wide = lab.Run("get", "netpol", "-o", "wide");
        Assert.True(wide.ExitCode == 0, wide.Stderr);
        Assert.Matches(@"^NAME\s+POD-SELECTOR\s+AGE\s+INGRESS-PACKETS\s+EGRESS-PACKETS\n", wide.Stdout);
        Assert.Matches($@"\nallow-other\s+app=web\s+\S+\s+{rule0["packets"]},0\s+<none>\n", wide.Stdout);
        Assert.Matches(@"\ndeny-all\s+<none>\s+\S+\s+<none>\s+<none>\n", wide.Stdout);

        var described = lab.Run("describe", "netpol", "allow-other");
        Assert.True(described.ExitCode == 0, described.Stderr);
        Assert.Contains($"    To Port: http/TCP\n    From:\n      NamespaceSelector: kubernetes.io/metadata.name=other\n    Matched: {rule0["packets"]} packets, {rule0["bytes"]} bytes (", described.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"    To Port: 9999/TCP\n    From:\n      IPBlock:\n        CIDR: 198\.18\.0\.0/24\n        Except: \n    Matched: 0 packets, 0 bytes \(node-1: 0, node-2: 0\)\n", described.Stdout);
    }

    private static IPAddress ClusterIP(LiveLab lab, string service) => IPAddress.Parse((string)lab.Get("svc", service)["spec"]!["clusterIP"]!);

    private static JsonNode TraceJson(LiveLab lab, string from, string to) => JsonNode.Parse(lab.Succeed("trace", "--from", from, "--to", to, "-o", "json"))!;
}
