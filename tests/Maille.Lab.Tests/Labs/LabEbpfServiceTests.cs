using System.Net;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Lab.Probing;
using Maille.TestKit;

namespace Maille.Lab.Tests.Labs;

// Privileged: LabServiceTests' cluster brought up with `--dataplane ebpf`. The pods' ClusterIP connections are
// translated at their sockets by the programs on the lab's cgroup (`maille exec` joins it, so the client's curl, dig
// and python run there); the nodes' nftables tables translate only the NodePort and drop a packet that still carries a
// ClusterIP. web-1 on node-1 and web-2 on node-2 behind web (80 → 8080); the client in namespace other on node-3.
public sealed class LabEbpfServiceTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>ECONNREFUSED on Linux: what python's connect_ex returns when the hook refuses.</summary>
    private const int Econnrefused = 111;

    /// <summary>EHOSTUNREACH ("No route to host"): what a connection rejected with ICMP admin-prohibited gets.</summary>
    private const int Ehostunreach = 113;

    [SkippableFact]
    public void Pods_reach_a_ClusterIP_and_cluster_DNS_through_the_socket_hooks_and_no_nftables_rule_translates_ClusterIPs()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(LabServiceTests.Manifests, output, "--dataplane", "ebpf");
        var clusterIP = ClusterIP(lab, "web");

        // Both endpoints answer, and they see the client's own address (no NAT at all).
        var answers = Enumerable.Range(0, 30).Select(_ => Curl(lab, $"{clusterIP}/hostname")).ToHashSet();
        Assert.Equal(["default/web-1", "default/web-2"], answers.Order());
        var client = (string)lab.Get("pods", "client", "-n", "other")["status"]!["podIP"]!;
        Assert.StartsWith(client + ":", Curl(lab, $"{clusterIP}/clientip"), StringComparison.Ordinal);

        // Cluster DNS over UDP: dig sends to the DNS Service's ClusterIP (sendmsg4) and takes the answer from it (recvmsg4).
        var dig = lab.Exec("other/client", "dig", "+short", "+time=2", "+tries=2", "web.default.svc.cluster.local");
        Assert.Equal(clusterIP.ToString(), dig.Stdout.Trim());

        // No nftables rule translates a ClusterIP: every node's Service map drops them; the NodePort still translates.
        foreach (var node in new[] { "node-1", "node-2", "node-3" })
        {
            var map = lab.Exec($"node/{node}", "nft", "list", "map", "ip", "maille-svc", "service-ips");
            Assert.Equal(0, map.ExitCode);
            Assert.Contains($"{clusterIP} . tcp . 80 : drop", map.Stdout, StringComparison.Ordinal);
            Assert.Contains(". tcp . 30080 : goto external-", map.Stdout, StringComparison.Ordinal);
        }

        // A socket outside the lab's cgroup (this test's own, opened in the client's namespace) is not translated, and
        // its packets to the ClusterIP are dropped by that rule: nothing translates them per packet.
        using (var ns = NetworkNamespace.Open(LabNames.Pod(lab.Name, "other/client")))
        {
            Assert.ThrowsAny<Exception>(() => LabHttp.Get(ns, clusterIP, 80, "/hostname", TimeSpan.FromSeconds(2)));
        }

        // The status names the programs and counts each map's elements.
        var agents = System.Text.Json.Nodes.JsonNode.Parse(lab.Succeed("status", "-o", "json"))!["items"]!.AsArray();
        Assert.Equal(3, agents.Count);
        Assert.All(agents, a =>
        {
            var ebpf = a!["parts"]!["services-ebpf"]!;
            Assert.Equal(["maille_connect4", "maille_sendmsg4", "maille_recvmsg4", "maille_getpeername4"], ebpf["programs"]!.AsArray().Select(p => (string)p!));
            Assert.Equal(5, (int)ebpf["maps"]!["services"]!);
            Assert.Null((string?)ebpf["lastError"]);

            // NetworkPolicy is the tc programs' part, on every pod's veth, in place of the nftables one.
            var policy = a!["parts"]!["networkpolicy-ebpf"]!;
            Assert.Equal(["maille_egress", "maille_ingress"], policy["programs"]!.AsArray().Select(p => (string)p!));
            Assert.True((int)policy["interfaces"]! >= 1, policy.ToJsonString());
            Assert.Null((string?)policy["lastError"]);
            Assert.Null(a!["parts"]!["networkpolicy"]);
        });

        // A policy applied live: web's pods admit only their own namespace, so the client (namespace other) is rejected at
        // once through the ClusterIP too (the socket hooks translate, the tc program on the endpoint's veth denies), with
        // ICMP admin-prohibited as nftables would answer ("No route to host", not a timeout); the rule's counter counts web's own pod reaching it.
        var path = lab.File("same-namespace.yaml", "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: same-namespace, namespace: default}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress: [{from: [{podSelector: {}}]}]\n");
        lab.Succeed("apply", "-f", path);
        Assert.Equal(Ehostunreach, ConnectError(lab, clusterIP, 80));
        var web2 = (string)lab.Get("pods", "web-2")["status"]!["podIP"]!;
        Assert.Equal(0, lab.Exec("default/web-1", "curl", "-sS", "-m", "3", $"{web2}:8080/hostname").ExitCode);
        Assert.Matches(@"\nsame-namespace +app=web +\S+ +1 +<none>", "\n" + lab.Succeed("get", "netpol", "-o", "wide"));

        // trace --lab names the map entries that decided, read from the live maps, and agrees with the engine.
        foreach (var (from, verdict, decidedBy) in new[] { ("other/client", "denied", "deny/"), ("default/web-1", "allowed", "ingress/default/same-namespace/0") })
        {
            var trace = lab.Run("trace", "--from", from, "--to", "default/web-2:8080", "-o", "json");
            var entry = System.Text.Json.Nodes.JsonNode.Parse(trace.Stdout)!["nftables"]!["policy"]!.AsArray().Single()!;
            var ingress = entry["ebpf"]!.AsArray().Single(w => (string)w!["direction"]! == "ingress")!;
            Assert.Equal((verdict, "node-2"), ((string)ingress["verdict"]!, (string)ingress["node"]!));
            Assert.StartsWith(decidedBy, (string)ingress["decidedBy"]!, StringComparison.Ordinal);
            Assert.StartsWith($"pods[{web2}] → ingress chain ", (string)ingress["steps"]![0]!, StringComparison.Ordinal);
            Assert.Contains(ingress["steps"]!.AsArray(), step => ((string)step!).StartsWith("peers[", StringComparison.Ordinal));
            Assert.Equal(verdict, (string)entry["verdict"]!);
            Assert.True((bool)entry["agreesWithEngine"]!, trace.Stdout);
        }

        Assert.Matches(@"node-2 \(ebpf maps, ingress of [\d.]+, peer [\d.]+, 8080/tcp\): denied\n      pods\[", lab.Succeed("trace", "--from", "other/client", "--to", "default/web-2:8080"));
    }

    [SkippableFact]
    public void A_Service_without_endpoints_is_refused_at_connect_and_so_is_one_whose_pods_are_deleted()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(LabServiceTests.Manifests, output, "--dataplane", "ebpf");

        Assert.Equal(Econnrefused, ConnectError(lab, ClusterIP(lab, "empty"), 80));

        var web = ClusterIP(lab, "web");
        Assert.Equal(0, ConnectError(lab, web, 80));
        Assert.Equal(0, lab.Run("delete", "pod", "web-1", "web-2").ExitCode);
        var refused = Poll.Until("connect to web is refused", () => ConnectError(lab, web, 80) == Econnrefused, output);
        Assert.True(refused.Met, refused.ToString());
    }

    private static IPAddress ClusterIP(LiveLab lab, string service) => IPAddress.Parse((string)lab.Get("svc", service)["spec"]!["clusterIP"]!);

    /// <summary>GET from the client pod with curl (through <c>maille exec</c>); the answer's body.</summary>
    private static string Curl(LiveLab lab, string url)
    {
        var run = lab.Exec("other/client", "curl", "-sS", "-m", "3", url);
        Assert.True(run.ExitCode == 0, $"curl {url}: exit {run.ExitCode}: {run.Stderr}");
        return run.Stdout;
    }

    /// <summary>connect() from the client pod (python's connect_ex, through <c>maille exec</c>): 0 or the errno.</summary>
    private static int ConnectError(LiveLab lab, IPAddress address, int port)
    {
        var run = lab.Exec("other/client", "python3", "-c", $"import socket; s = socket.socket(); s.settimeout(3); print(s.connect_ex(('{address}', {port})))");
        Assert.True(run.ExitCode == 0, run.Stderr);
        return int.Parse(run.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
