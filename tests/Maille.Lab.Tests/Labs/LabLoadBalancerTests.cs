using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Lab.Probing;
using Maille.Model;
using Maille.TestKit;
using Xunit.Abstractions;

namespace Maille.Lab.Tests.Labs;

// Privileged: LoadBalancer Services in a running lab, reached from the external client (198.18.0.2) through the
// address one node announces. web-1 (node-1) and web-2 (node-2) behind three LoadBalancer Services.
public sealed class LabLoadBalancerTests(ITestOutputHelper output)
{
    private static readonly string Manifests = Fixtures.WebPair + """
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: open}
        spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: local}
        spec: {type: LoadBalancer, externalTrafficPolicy: Local, selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: fenced}
        spec: {type: LoadBalancer, loadBalancerSourceRanges: [198.18.0.128/25], selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
        """;

    /// <summary>In each data plane: nftables, and the ebpf one's tc program on each node's eth0 (fenced stays with nftables' firewall).</summary>
    [SkippableTheory]
    [InlineData(DataplaneKind.Nftables)]
    [InlineData(DataplaneKind.Ebpf)]
    public void The_outside_reaches_load_balancer_addresses_and_they_survive_the_announcing_node_s_failure(DataplaneKind dataplane)
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Manifests, output, dataplane);
        var services = JsonNode.Parse(lab.Run("get", "svc", "-o", "json").Stdout)!["items"]!.AsArray()
            .ToDictionary(s => (string)s!["metadata"]!["name"]!, s => IPAddress.Parse((string)s!["status"]!["loadBalancer"]!["ingress"]![0]!["ip"]!));
        using var external = NetworkNamespace.Open(LabNames.External(lab.Name));

        var (status, seen) = LabHttp.Get(external, services["open"], 80, "/clientip", TimeSpan.FromSeconds(3));
        Assert.StartsWith("HTTP/1.1 200", status, StringComparison.Ordinal);
        Assert.DoesNotContain("198.18.0.2:", seen, StringComparison.Ordinal); // Cluster policy masquerades
        Assert.StartsWith("198.18.0.2:", LabHttp.Get(external, services["local"], 80, "/clientip", TimeSpan.FromSeconds(3)).Body, StringComparison.Ordinal);
        Assert.ThrowsAny<Exception>(() => LabHttp.Get(external, services["fenced"], 80, "/hostname", TimeSpan.FromSeconds(1))); // 198.18.0.2 is outside 198.18.0.128/25

        // Fail the node that announces "open": the address answers again from another node.
        var owner = Owner(lab.Name, services["open"]);
        Assert.Equal(0, lab.Run("node", "stop", owner).ExitCode);
        var failed = Stopwatch.StartNew();
        var back = Poll.Until($"{services["open"]} answers from outside", () =>
        {
            try
            {
                return LabHttp.Get(external, services["open"], 80, "/hostname", TimeSpan.FromMilliseconds(300)).Status.StartsWith("HTTP/1.1 200", StringComparison.Ordinal);
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or TimeoutException or IOException)
            {
                return false;
            }
        }, output);
        Assert.True(back.Met, $"{services["open"]} never answered after {owner} stopped: {back}");
        output.WriteLine($"{services["open"]} answered again {failed.ElapsedMilliseconds} ms after {owner} stopped");
        Assert.NotEqual(owner, Owner(lab.Name, services["open"]));
    }

    /// <summary>The node whose eth0 holds the address (the announcer).</summary>
    private static string Owner(string lab, IPAddress address)
    {
        foreach (var node in new[] { "node-1", "node-2", "node-3" })
        {
            if (HostNetworkSnapshot.Run("-n", LabNames.Node(lab, node), "-4", "addr", "show", "eth0").Contains($"inet {address}/32", StringComparison.Ordinal))
            {
                return node;
            }
        }

        return "none";
    }
}
