using System.Net;
using System.Text.Json.Nodes;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Lab.Probing;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Lab.Tests.Labs;

// Privileged: Services and cluster DNS in a running lab, end to end through `maille up` (node agents program
// nftables, the daemon serves DNS from kube-system pods). web-1 on node-1 and web-2 on node-2 behind Service web
// (ClusterIP, port 80 → 8080) and NodePort web-np (30080); a client pod on node-3 in namespace "other".
public sealed class LabServiceTests(Xunit.Abstractions.ITestOutputHelper output)
{
    internal const string Manifests = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: other}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-1, labels: {app: web}}
        spec: {nodeName: node-1, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-2, labels: {app: web}}
        spec: {nodeName: node-2, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: client, namespace: other}
        spec: {nodeName: node-3, containers: [{name: c}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: http}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web-np}
        spec: {type: NodePort, selector: {app: web}, ports: [{port: 80, targetPort: 8080, nodePort: 30080}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: empty}
        spec: {selector: {app: nothing}, ports: [{port: 80}]}
        """;

    [SkippableFact]
    public void Pods_reach_services_by_cluster_ip_and_dns_name_and_trace_names_the_rule_that_translates_a_NodePort()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Manifests, output);
        var clusterIP = IPAddress.Parse((string)JsonNode.Parse(lab.Run("get", "svc", "web", "-o", "json").Stdout)!["spec"]!["clusterIP"]!);

        // Both endpoints answer through the ClusterIP, and they see the client's own address (no NAT inside the cluster).
        var answers = Enumerable.Range(0, 30).Select(_ => PodHttp.Get(lab.Name, "other/client", clusterIP, 80, "/hostname")).ToHashSet();
        Assert.Equal(["default/web-1", "default/web-2"], answers.Order());
        var client = (string)JsonNode.Parse(lab.Run("get", "pods", "client", "-n", "other", "-o", "json").Stdout)!["status"]!["podIP"]!;
        Assert.StartsWith(client + ":", PodHttp.Get(lab.Name, "other/client", clusterIP, 80, "/clientip"), StringComparison.Ordinal);

        // Cluster DNS: full name, the search path from another namespace, SRV for the named port.
        var full = lab.Exec("other/client", "getent", "hosts", "web.default.svc.cluster.local");
        Assert.StartsWith(clusterIP.ToString(), full.Stdout, StringComparison.Ordinal);
        var viaSearch = lab.Exec("other/client", "getent", "hosts", "web.default");
        Assert.StartsWith(clusterIP.ToString(), viaSearch.Stdout, StringComparison.Ordinal);
        var srv = lab.Exec("other/client", "dig", "+short", "SRV", "_http._tcp.web.default.svc.cluster.local");
        Assert.Equal("0 100 80 web.default.svc.cluster.local.", srv.Stdout.Trim());

        // A Service without endpoints refuses at once rather than hanging.
        using (var ns = NetworkNamespace.Open(LabNames.Pod(lab.Name, "other/client")))
        {
            var emptyIP = IPAddress.Parse((string)JsonNode.Parse(lab.Run("get", "svc", "empty", "-o", "json").Stdout)!["spec"]!["clusterIP"]!);
            var refused = Assert.ThrowsAny<System.Net.Sockets.SocketException>(() => LabHttp.Get(ns, emptyIP, 80, "/", TimeSpan.FromSeconds(3)));
            Assert.Equal(System.Net.Sockets.SocketError.ConnectionRefused, refused.SocketErrorCode);
        }

        // trace on the running lab names the nftables rule that translated a NodePort packet on the node it entered.
        var trace = JsonNode.Parse(lab.Run("trace", "--from", "external", "--to", "198.18.0.12:30080", "-o", "json").Stdout)!["nftables"]!;
        Assert.Equal("node-2", (string)trace["node"]!);
        Assert.Equal("translated", (string)trace["verdict"]!);
        Assert.Contains("dnat to", (string)trace["decision"]!, StringComparison.Ordinal);
        Assert.Equal(2, trace["targets"]!.AsArray().Count);
    }

    /// <summary>In each data plane: nftables' DNAT and masquerade, and the ebpf one's tc program on each node's eth0.</summary>
    [SkippableTheory]
    [InlineData(DataplaneKind.Nftables)]
    [InlineData(DataplaneKind.Ebpf)]
    public void The_outside_reaches_a_NodePort_on_every_node_masqueraded_and_reaches_both_endpoints(DataplaneKind dataplane)
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Manifests, output, dataplane);

        using var external = NetworkNamespace.Open(LabNames.External(lab.Name));
        foreach (var node in new[] { "198.18.0.11", "198.18.0.12", "198.18.0.13" })
        {
            var (status, seen) = LabHttp.Get(external, IPAddress.Parse(node), 30080, "/clientip", TimeSpan.FromSeconds(3));
            Assert.StartsWith("HTTP/1.1 200", status, StringComparison.Ordinal);
            Assert.DoesNotContain("198.18.0.2:", seen, StringComparison.Ordinal);
        }

        var answers = Enumerable.Range(0, 30).Select(_ => LabHttp.Get(external, IPAddress.Parse("198.18.0.13"), 30080, "/hostname", TimeSpan.FromSeconds(3)).Body).ToHashSet();
        Assert.Equal(["default/web-1", "default/web-2"], answers.Order());
    }

    [SkippableFact]
    public void A_deleted_endpoint_pod_leaves_the_service_and_the_agents_report_their_rules()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Manifests, output);
        var clusterIP = IPAddress.Parse((string)JsonNode.Parse(lab.Run("get", "svc", "web", "-o", "json").Stdout)!["spec"]!["clusterIP"]!);

        Assert.Equal(0, lab.Run("delete", "pod", "web-2").ExitCode);

        var onlyWeb1 = Poll.Until("20 connections in a row reach web-1", () => Enumerable.Range(0, 20).All(_ => PodHttp.Get(lab.Name, "other/client", clusterIP, 80, "/hostname") == "default/web-1"), output);
        Assert.True(onlyWeb1.Met, onlyWeb1.ToString());
        var agents = JsonNode.Parse(lab.Run("status", "-o", "json").Stdout)!["items"]!.AsArray();
        Assert.Equal(3, agents.Count);
        Assert.All(agents, a =>
        {
            var services = a!["parts"]!["services"]!;
            Assert.True((int)services["ruleCount"]! > 0);
            Assert.Null((string?)services["lastError"]);
            Assert.True((int)services["syncCount"]! >= 2, "the delete reached every node");
        });
    }

    [SkippableTheory]
    [InlineData(DataplaneKind.Nftables)]
    [InlineData(DataplaneKind.Ebpf)]
    public void A_pod_turning_unready_stops_receiving_new_connections_and_comes_back_when_ready(DataplaneKind dataplane)
    {
        Privileged.Require();
        using var lab = LiveLab.Create(output);
        var flag = Path.Combine(lab.Folder, "ready");
        File.WriteAllText(flag, "");
        var file = lab.File("lab.yaml", Manifests.Replace(
            "metadata: {name: web-1, labels: {app: web}}\nspec: {nodeName: node-1, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}",
            $"metadata: {{name: web-1, labels: {{app: web}}}}\nspec: {{nodeName: node-1, containers: [{{name: c, ports: [{{name: http, containerPort: 8080}}], readinessProbe: {{exec: {{command: [test, -e, {flag}]}}, periodSeconds: 1, failureThreshold: 1}}}}]}}",
            StringComparison.Ordinal));
        Assert.Equal(0, lab.Run("up", "-f", file, "--dataplane", dataplane == DataplaneKind.Ebpf ? "ebpf" : "nftables").ExitCode);
        var clusterIP = IPAddress.Parse((string)JsonNode.Parse(lab.Run("get", "svc", "web", "-o", "json").Stdout)!["spec"]!["clusterIP"]!);
        IReadOnlyList<string> ThirtyConnections() => PodCurl.Answers(lab, "other/client", clusterIP, 80, "/hostname", 30);
        Assert.Contains("default/web-1", ThirtyConnections());

        File.Delete(flag);
        var onlyWeb2 = Poll.Until("30 connections in a row reach web-2", () => ThirtyConnections() is { Count: 30 } answers && answers.All(a => a == "default/web-2"), output);
        Assert.True(onlyWeb2.Met, "web-1 kept receiving connections while unready: " + onlyWeb2);

        File.WriteAllText(flag, "");
        var web1Back = Poll.Until("one of 30 connections reaches web-1", () => ThirtyConnections().Contains("default/web-1"), output);
        Assert.True(web1Back.Met, "web-1 never came back: " + web1Back);
    }
}
