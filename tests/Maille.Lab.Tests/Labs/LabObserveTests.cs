using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Maille.Lab.Api;
using Maille.Lab.Labs;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Lab.Tests.Labs;

// Privileged: `maille observe` on a running lab, end to end through `maille up`. LabPolicyTests' cluster: web-1 on
// node-1 and web-2 on node-2 behind Service web (ClusterIP, 80 → http 8080); other/client and outside/intruder on node-3;
// default/deny-all isolates default for ingress and default/allow-other admits namespace other on http (rule 0).
public sealed class LabObserveTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>
    /// In each data plane: nftables' conntrack events and its deny rules' log (nfnetlink_log), and the ebpf one's tc
    /// programs, whose denials come through their ring buffer as the same records.
    /// </summary>
    [SkippableTheory]
    [InlineData(DataplaneKind.Nftables)]
    [InlineData(DataplaneKind.Ebpf)]
    public void Observe_shows_an_allowed_connection_through_a_Service_and_a_denied_one_with_the_rule_that_decided_each(DataplaneKind dataplane)
    {
        Privileged.Require();
        using var lab = LiveLab.Up(LabPolicyTests.Manifests, output, dataplane);
        var clusterIP = (string)lab.Get("svc", "web")["spec"]!["clusterIP"]!;
        var web1 = (string)lab.Get("pod", "web-1")["status"]!["podIP"]!;

        Assert.Equal(0, lab.Exec("other/client", "curl", "-s", "-m", "5", $"http://{clusterIP}:80/hostname").ExitCode);
        Assert.NotEqual(0, lab.Exec("outside/intruder", "curl", "-s", "-m", "2", $"http://{web1}:8080/hostname").ExitCode);

        var seen = Poll.Until("observe shows both flows", () => Flows(lab), flows => flows.Any(Allowed) && flows.Any(Denied), output);
        Assert.True(seen.Met, seen.ToString());

        var allowed = seen.Last.First(Allowed);
        if (dataplane == DataplaneKind.Nftables)
        {
            Assert.Equal(("default/web", clusterIP, 80, 8080, "TCP"), ((string?)allowed["service"], (string?)allowed["serviceIP"], (int)allowed["servicePort"]!, (int)allowed["port"]!, (string?)allowed["protocol"]));
        }
        else
        {
            // The socket hooks translated the ClusterIP before any packet existed: conntrack sees the endpoint only.
            Assert.Equal(((string?)null, 8080, "TCP"), ((string?)allowed["service"], (int)allowed["port"]!, (string?)allowed["protocol"]));
        }

        var endpointNode = (string)allowed["to"]! == "default/web-1" ? "node-1" : "node-2";
        Assert.Equal((endpointNode, "default/allow-other ingress rule 0 peer 0 port 0"), ((string?)allowed["node"], (string?)allowed["rule"]));

        var denied = seen.Last.First(Denied);
        Assert.Equal(("default/web-1", web1, 8080, "node-1"), ((string?)denied["to"], (string?)denied["toIP"], (int)denied["port"]!, (string?)denied["node"]));
        Assert.Equal("default deny of default/allow-other, default/deny-all (ingress)", (string?)denied["rule"]);

        // The filters, and the table.
        Assert.All(Flows(lab, "--verdict", "dropped"), f => Assert.Equal("dropped", (string?)f["verdict"]));
        Assert.All(Flows(lab, "--from", "other/"), f => Assert.Equal("other/client", (string?)f["from"]));
        // --to matches the Service the client addressed; in ebpf no flow carries it, and the endpoint pod matches.
        Assert.Contains(Flows(lab, "--to", dataplane == DataplaneKind.Nftables ? "web" : (string)allowed["to"]!), Allowed);
        var table = lab.Succeed("observe", "--from", "outside/intruder");
        Assert.Contains("default deny of default/allow-other, default/deny-all (ingress)", table, StringComparison.Ordinal);
        Assert.StartsWith("TIME", table, StringComparison.Ordinal);

        // kubectl reads the same lines through the lab's HTTPS API, as the admin.
        var (code, raw, error) = new Kubectl(lab, output).Run("get", "--raw", "/apis/maille.dev/v1alpha1/flows?verdict=dropped");
        Assert.True(code == 0, error);
        Assert.Contains("\"rule\":\"default deny of default/allow-other, default/deny-all (ingress)\"", raw, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Observe_follow_streams_each_new_connection_as_the_kernel_reports_it()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(LabPolicyTests.Manifests, output);
        var web2 = (string)lab.Get("pod", "web-2")["status"]!["podIP"]!;
        using var client = new LabApiClient(new LabState(lab.Name).ApiSocket);
        using var stop = new CancellationTokenSource();
        var lines = new ConcurrentQueue<JsonNode>();
        var following = client.StreamLinesAsync($"/apis/{LabApiServer.MailleGroup}/flows?follow=true&from=other/", line => lines.Enqueue(JsonNode.Parse(line)!), stop.Token);

        // The stream starts empty (it shows what comes after it), so the connection is made once it is open.
        await Task.Delay(500);
        Assert.Equal(0, lab.Exec("other/client", "curl", "-s", "-m", "5", $"http://{web2}:8080/hostname").ExitCode);

        var seen = Poll.Until("the followed stream has the connection", () => lines.Any(l => (string?)l["to"] == "default/web-2"), output);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => following);
        Assert.True(seen.Met, seen.ToString());
        Assert.All(lines, l => Assert.Equal("other/client", (string?)l["from"]));
    }

    private static bool Allowed(JsonNode flow) => (string?)flow["from"] == "other/client" && (string?)flow["verdict"] == "allowed";

    private static bool Denied(JsonNode flow) => (string?)flow["from"] == "outside/intruder" && (string?)flow["verdict"] == "dropped";

    private static List<JsonNode> Flows(LiveLab lab, params string[] filters) =>
        [.. lab.Succeed(["observe", "-o", "json", .. filters]).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).Where(l => (string?)l["kind"] == "Flow")];
}
