using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Lab.Api;
using Maille.Lab.Labs;
using Maille.Lab.Tests.Api;
using Maille.TestKit;

namespace Maille.Lab.Tests.Labs;

// Privileged: `maille apply --dry-run=impact` on a running lab. LabServiceTests' cluster: web-1 on node-1 and web-2 on
// node-2 (labelled app=web, serving http 8080/TCP, default namespace), other/client on node-3. The test holds a TCP
// connection open from other/client to web-1:8080 (a kept-alive HTTP/1.1 connection), then asks what a default deny of
// ingress in namespace default would do.
public sealed class LabWhatIfTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Impact_of_a_default_deny_lists_the_live_connection_it_would_cut_and_applies_nothing()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(LabServiceTests.Manifests, output);
        var web1 = IPAddress.Parse((string)lab.Get("pods", "web-1")["status"]!["podIP"]!);
        using var client = NetworkNamespace.Open(LabNames.Pod(lab.Name, "other/client"));
        using var connection = client.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await connection.ConnectAsync(web1, 8080);
        await connection.SendAsync(Encoding.ASCII.GetBytes("GET /hostname HTTP/1.1\r\nHost: web-1\r\n\r\n"));
        Assert.True(await connection.ReceiveAsync(new byte[4096]) > 0);

        using var api = new LabApiClient(new LabState(lab.Name).ApiSocket);
        var before = await LabObjectVersions.ReadAsync(api);
        var deny = lab.File("deny.yaml", PolicyYaml.DenyIngress("default").Yaml);

        var (code, stdout, stderr) = lab.Run("apply", "--dry-run=impact", "-f", deny, "-o", "json");

        Assert.True(code == 1, $"exit {code}: {stderr}");
        var json = JsonNode.Parse(stdout)!;
        output.WriteLine(stdout);

        // The matrix: every connection into web-1 and web-2 is lost (from each other, the client and the lab's two coredns
        // pods: 8 pairs) on each port declared (8080/TCP, and coredns' 53 over TCP and UDP).
        var changes = json["changes"]!.AsArray();
        var web = json["groups"]!.AsArray().Single(g => g!["pods"]!.AsArray().Any(p => (string?)p == "default/web-1"))!;
        Assert.All(changes, c => Assert.Equal(("lost", (int)web["id"]!), ((string?)c!["change"], (int)c["to"]!)));
        Assert.Equal(8 * json["ports"]!.AsArray().Count, (int)json["lost"]!);

        // The flows: the live connection is listed, seen on the client's node and the server's, denied by the new policy.
        var flows = json["flows"]!;
        Assert.Empty(flows["errors"]!.AsArray());
        var cut = Assert.Single(flows["cut"]!.AsArray(), c => (string?)c!["from"] == "other/client" && (string?)c["to"] == "default/web-1")!;
        Assert.Equal("8080/TCP", (string?)cut["port"]);
        Assert.True((int)cut["connections"]! >= 1);
        Assert.Equal(["node-1", "node-3"], cut["nodes"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("denied: ingress: default deny of default/default-deny-ingress", (string?)cut["candidate"]!["text"]);
        Assert.Equal("kept", (string?)flows["establishedConnections"]);

        // Nothing applied: every object keeps its resource version, and there is still no policy.
        Assert.Equal(before, await LabObjectVersions.ReadAsync(api));
        Assert.Empty(lab.Get("networkpolicies", "-A")["items"]!.AsArray());

        // The table says the same in words, and a change that does not plan is trouble (2), with nothing applied.
        var table = lab.Run("apply", "--dry-run=impact", "-f", deny);
        Assert.Contains("cut     8080/TCP  other/client → default/web-1", table.Stdout, StringComparison.Ordinal);
        var bad = lab.File("bad.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: web-1}\nspec: {nodeName: node-9, containers: [{name: c}]}\n");
        Assert.Equal(2, lab.Run("apply", "--dry-run=impact", "-f", bad).ExitCode);
        Assert.Equal(before, await LabObjectVersions.ReadAsync(api));

        // The connection closed and gone from the nodes' conntrack tables (as it would be minutes later): no longer
        // tracked, so not cut; but the nodes reported it when it opened, so within --since it is a flow seen lately.
        connection.Close();
        foreach (var node in new[] { "node-1", "node-3" })
        {
            HostNetworkSnapshot.Run("netns", "exec", LabNames.Node(lab.Name, node), "conntrack", "-D", "-p", "tcp", "--orig-dst", web1.ToString(), "--dport", "8080");
        }

        var tracked = JsonNode.Parse(lab.Run("apply", "--dry-run=impact", "-f", deny, "-o", "json").Stdout)!["flows"]!;
        Assert.DoesNotContain(tracked["cut"]!.AsArray(), c => (string?)c!["from"] == "other/client");
        var (sinceCode, sinceOut, sinceErr) = lab.Run("apply", "--dry-run=impact", "--since", "10m", "-f", deny, "-o", "json");
        Assert.True(sinceCode == 1, $"exit {sinceCode}: {sinceErr}");
        var seen = JsonNode.Parse(sinceOut)!["flows"]!;
        Assert.Contains("in the last 10m", (string?)seen["window"], StringComparison.Ordinal);
        var seenCut = Assert.Single(seen["cut"]!.AsArray(), c => (string?)c!["from"] == "other/client" && (string?)c["to"] == "default/web-1")!;
        Assert.Equal("8080/TCP", (string?)seenCut["port"]);

        // --since asks of a dry run only, and wants a duration.
        var notDry = lab.Run("apply", "--since", "10m", "-f", deny);
        Assert.Equal(1, notDry.ExitCode);
        Assert.Contains("--since: only with --dry-run=impact", notDry.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, lab.Run("apply", "--dry-run=impact", "--since", "ten", "-f", deny).ExitCode);
        Assert.Equal(before, await LabObjectVersions.ReadAsync(api));
    }
}
