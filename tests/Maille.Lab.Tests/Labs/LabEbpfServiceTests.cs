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

        // No nftables rule translates a ClusterIP: every node's Service map drops them. Nor a NodePort: the tc program
        // on the node's eth0 does (below, and in the next test).
        foreach (var node in new[] { "node-1", "node-2", "node-3" })
        {
            var map = lab.Exec($"node/{node}", "nft", "list", "map", "ip", "maille-svc", "service-ips");
            Assert.Equal(0, map.ExitCode);
            Assert.Contains($"{clusterIP} . tcp . 80 : drop", map.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("30080", lab.Exec($"node/{node}", "nft", "list", "ruleset").Stdout, StringComparison.Ordinal);
            var filters = lab.Exec($"node/{node}", "tc", "filter", "show", "dev", "eth0", "ingress");
            Assert.Contains("maille_nodeport", filters.Stdout, StringComparison.Ordinal);
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
            Assert.Equal(["maille_connect4", "maille_sendmsg4", "maille_recvmsg4", "maille_getpeername4", "maille_nodeport"], ebpf["programs"]!.AsArray().Select(p => (string)p!));
            Assert.Equal(1, (int)ebpf["maps"]!["nodeports"]!); // this node's address with web-np's NodePort
            // web, web-np (its ClusterIP and this node's address with its NodePort, one id), empty, and DNS over UDP and TCP.
            Assert.Equal(6, (int)ebpf["maps"]!["services"]!);
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

        // Through the ClusterIP: the socket LB maps say where the connection goes (no nftables rule is on its path), then
        // each endpoint's policy walk; the client is denied at both, as the engine predicts.
        var throughService = System.Text.Json.Nodes.JsonNode.Parse(lab.Run("trace", "--from", "other/client", "--to", "web.default:80", "-o", "json").Stdout)!["nftables"]!;
        Assert.Equal(("ebpf socket LB maps", "translated"), ((string)throughService["table"]!, (string)throughService["verdict"]!));
        Assert.StartsWith($"services[{clusterIP}:80/tcp] → Service ", (string)throughService["steps"]![0]!, StringComparison.Ordinal);
        Assert.Equal(2, throughService["targets"]!.AsArray().Count);
        Assert.All(throughService["policy"]!.AsArray(), e => Assert.Equal("denied", (string)e!["verdict"]!));
        Assert.Empty(throughService["disagreements"]!.AsArray());

        Assert.Matches(@"node-2 \(ebpf maps, ingress of [\d.]+, peer [\d.]+, 8080/tcp\): denied\n      pods\[", lab.Succeed("trace", "--from", "other/client", "--to", "default/web-2:8080"));
    }

    [SkippableFact]
    public void A_Service_without_endpoints_is_refused_at_connect_and_so_is_one_whose_pods_are_deleted()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(LabServiceTests.Manifests, output, "--dataplane", "ebpf");

        Assert.Equal(Econnrefused, ConnectError(lab, ClusterIP(lab, "empty"), 80));
        var refusedTrace = System.Text.Json.Nodes.JsonNode.Parse(lab.Run("trace", "--from", "other/client", "--to", "empty.default:80", "-o", "json").Stdout)!["nftables"]!;
        Assert.Equal("rejected", (string)refusedTrace["verdict"]!);
        Assert.EndsWith("no endpoint: connect() and sendmsg() fail with ECONNREFUSED", (string)refusedTrace["steps"]![0]!, StringComparison.Ordinal);

        var web = ClusterIP(lab, "web");
        Assert.Equal(0, ConnectError(lab, web, 80));
        Assert.Equal(0, lab.Run("delete", "pod", "web-1", "web-2").ExitCode);
        var refused = Poll.Until("connect to web is refused", () => ConnectError(lab, web, 80) == Econnrefused, output);
        Assert.True(refused.Met, refused.ToString());
    }

    [SkippableFact]
    public void NodePorts_LoadBalancer_IPs_and_externalIPs_are_translated_at_the_socket_from_inside_and_at_tc_from_outside_as_kube_proxy_does()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(ExternalManifests, output, "--dataplane", "ebpf");
        var client = (string)lab.Get("pods", "client", "-n", "other")["status"]!["podIP"]!;
        var assigned = Poll.Until("lb-local gets its LoadBalancer IP", () => (string?)lab.Get("svc", "lb-local")["status"]?["loadBalancer"]?["ingress"]?[0]?["ip"], ip => ip is not null, output);
        Assert.True(assigned.Met, assigned.ToString());
        var loadBalancerIP = assigned.Last!;

        // The client's node address with web-np's NodePort: translated at connect() to either endpoint, so the
        // endpoint sees the pod's own address (kube-proxy would masquerade a packet to a NodePort; no packet carries it
        // here), and getpeername() says the address curl asked for.
        var answers = Enumerable.Range(0, 30).Select(_ => Curl(lab, $"{Node3}:30080/hostname")).ToHashSet();
        Assert.Equal(["default/web-1", "default/web-2"], answers.Order());
        Assert.StartsWith(client + ":", Curl(lab, $"{Node3}:30080/clientip"), StringComparison.Ordinal);
        Assert.Equal($"{Node3}:30080", Curl(lab, "-o", "/dev/null", "-w", "%{remote_ip}:%{remote_port}", $"{Node3}:30080/hostname"));

        // lb-local has externalTrafficPolicy Local and no endpoint on node-3: from inside the cluster kube-proxy still
        // sends its LoadBalancer IP and its externalIP to every endpoint, and so do the hooks.
        foreach (var address in new[] { loadBalancerIP, ExternalIP })
        {
            var reached = Enumerable.Range(0, 30).Select(_ => Curl(lab, $"{address}:8081/hostname")).ToHashSet();
            Assert.Equal(["default/web-1", "default/web-2"], reached.Order());
        }

        // A NodePort with no endpoint anywhere is refused at connect(), as nftables' reject does.
        Assert.Equal(Econnrefused, ConnectError(lab, IPAddress.Parse(Node3), 30081));

        // The node's own processes in the lab's cgroup: node-3 reaches its NodePort and the externalIP the same way.
        var fromNode = lab.Exec("node/node-3", "curl", "-sS", "-m", "3", $"{ExternalIP}:8081/hostname");
        Assert.True(fromNode.ExitCode == 0, fromNode.Stderr);
        Assert.StartsWith("default/web-", fromNode.Stdout, StringComparison.Ordinal);

        // From outside the cluster (the lab's external client, 198.18.0.2), at tc on each node's eth0, with no nftables
        // rule left for these addresses: web-np (Cluster policy) on every node's address, masqueraded by conntrack to
        // the node's (the endpoint does not see the client); lb-local (Local policy) from its announcing node keeps
        // the client's address.
        using var external = NetworkNamespace.Open(LabNames.External(lab.Name));
        foreach (var node in new[] { "198.18.0.11", "198.18.0.12", "198.18.0.13" })
        {
            Assert.DoesNotContain("30080", lab.Exec($"node/node-{node[^1]}", "nft", "list", "ruleset").Stdout, StringComparison.Ordinal);
            var seen = Enumerable.Range(0, 12).Select(_ => LabHttp.Get(external, IPAddress.Parse(node), 30080, "/clientip", TimeSpan.FromSeconds(3))).ToList();
            Assert.All(seen, s => Assert.StartsWith("HTTP/1.1 200", s.Status, StringComparison.Ordinal));
            Assert.All(seen, s => Assert.StartsWith(node + ":", s.Body, StringComparison.Ordinal));
        }

        var (status, body) = LabHttp.Get(external, IPAddress.Parse(loadBalancerIP), 8081, "/clientip", TimeSpan.FromSeconds(3));
        Assert.StartsWith("HTTP/1.1 200", status, StringComparison.Ordinal);
        Assert.StartsWith("198.18.0.2:", body, StringComparison.Ordinal);

        // lb-local's NodePort on node-3, which has no endpoint: dropped (a timeout), as kube-proxy does. empty-np has no
        // endpoint anywhere: rejected at once by the nftables reject the tc program leaves it to.
        var lbNodePort = (int)lab.Get("svc", "lb-local")["spec"]!["ports"]![0]!["nodePort"]!;
        var dropped = Assert.ThrowsAny<Exception>(() => LabHttp.Get(external, IPAddress.Parse(Node3), lbNodePort, "/hostname", TimeSpan.FromSeconds(2)));
        Assert.False(dropped is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused }, dropped.ToString());
        var refused = Assert.ThrowsAny<System.Net.Sockets.SocketException>(() => LabHttp.Get(external, IPAddress.Parse(Node3), 30081, "/", TimeSpan.FromSeconds(3)));
        Assert.Equal(System.Net.Sockets.SocketError.ConnectionRefused, refused.SocketErrorCode);

        // trace --lab from outside walks the tc program's maps on the node the packet enters: the nodeports entry and
        // its endpoints with the masquerade address, the Local NodePort dropped on a node without endpoint, and the
        // NodePort without endpoints left to nftables' reject (the one rule nftables keeps for it).
        System.Text.Json.Nodes.JsonNode TraceFromOutside(string to) => System.Text.Json.Nodes.JsonNode.Parse(lab.Run("trace", "--from", "external", "--to", to, "-o", "json").Stdout)!["nftables"]!;
        var cluster = TraceFromOutside("198.18.0.12:30080");
        Assert.Equal(("node-2", "ebpf tc maille_nodeport maps", "translated"), ((string)cluster["node"]!, (string)cluster["table"]!, (string)cluster["verdict"]!));
        Assert.Matches(@"^nodeports\[198\.18\.0\.12:30080/tcp\] → Service \d+, 2 endpoint\(s\): .*masqueraded to 198\.18\.0\.12$", (string)cluster["steps"]![0]!);
        Assert.Equal(2, cluster["targets"]!.AsArray().Count);
        var ingressWalks = cluster["policy"]!.AsArray().SelectMany(e => e!["ebpf"]!.AsArray()).Where(w => (string)w!["direction"]! == "ingress").ToList();
        // Masqueraded by conntrack: web-1 on node-1 sees node-2's address; web-2 on node-2 is judged from the client
        // that conntrack entry names, as nftables' forward hook judges it before masquerade.
        Assert.Equal([("node-1", "198.18.0.12"), ("node-2", "198.18.0.2")], ingressWalks.Select(w => ((string)w!["node"]!, (string)w["peer"]!)).Order());
        var localDrop = TraceFromOutside($"{Node3}:{lbNodePort}");
        Assert.Equal(("ebpf tc maille_nodeport maps", "dropped"), ((string)localDrop["table"]!, (string)localDrop["verdict"]!));
        var toReject = TraceFromOutside($"{Node3}:30081");
        Assert.Equal(("ip maille-svc", "rejected"), ((string)toReject["table"]!, (string)toReject["verdict"]!));
        Assert.EndsWith("leaves the packet to nftables' reject", (string)toReject["steps"]![0]!, StringComparison.Ordinal);
        Assert.Contains("tc program on node-2 (ebpf tc maille_nodeport maps): translated", lab.Succeed("trace", "--from", "external", "--to", "198.18.0.12:30080"), StringComparison.Ordinal);

        var agents = System.Text.Json.Nodes.JsonNode.Parse(lab.Succeed("status", "-o", "json"))!["items"]!.AsArray();
        Assert.All(agents, a => Assert.Null((string?)a!["parts"]!["services-ebpf"]!["lastError"]));
    }

    private const string Node3 = "198.18.0.13";

    private const string ExternalIP = "198.18.7.10";

    /// <summary>LabServiceTests' cluster, with lb-local (LoadBalancer, externalTrafficPolicy Local, an externalIP) and empty-np (a NodePort, no endpoint).</summary>
    private static readonly string ExternalManifests = LabServiceTests.Manifests + $$"""

        ---
        apiVersion: v1
        kind: Service
        metadata: {name: lb-local}
        spec: {type: LoadBalancer, externalTrafficPolicy: Local, externalIPs: [{{ExternalIP}}], selector: {app: web}, ports: [{port: 8081, targetPort: 8080}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: empty-np}
        spec: {type: NodePort, selector: {app: nothing}, ports: [{port: 80, nodePort: 30081}]}
        """;

    private static IPAddress ClusterIP(LiveLab lab, string service) => IPAddress.Parse((string)lab.Get("svc", service)["spec"]!["clusterIP"]!);

    /// <summary>GET from the client pod with curl (through <c>maille exec</c>); the answer's body.</summary>
    private static string Curl(LiveLab lab, params string[] arguments)
    {
        var run = lab.Exec("other/client", ["curl", "-sS", "-m", "3", .. arguments]);
        Assert.True(run.ExitCode == 0, $"curl {string.Join(' ', arguments)}: exit {run.ExitCode}: {run.Stderr}");
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
