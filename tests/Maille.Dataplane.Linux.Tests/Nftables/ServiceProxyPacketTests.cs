using System.Net;
using Maille.TestKit;

namespace Maille.Dataplane.Linux.Tests.Nftables;

// IP plan (ServiceLabFixture): node-1 198.18.0.11 (pods web-a, client), node-2 198.18.0.12 (pods web-b, web-c),
// external client 198.18.0.2; every web pod answers on 8080 with "POD CLIENT-IP". Real packets through the
// NodeServiceProxy of each node.
public sealed class ServiceProxyPacketTests(ServiceLabFixture fixture) : IClassFixture<ServiceLabFixture>
{
    private static readonly string[] WebPods = ["app/web-a", "app/web-b", "app/web-c"];

    private ServiceLab Lab => fixture.Lab!;

    [SkippableFact]
    public async Task A_ClusterIP_spreads_connections_uniformly_over_its_ready_endpoints_and_keeps_the_pod_source()
    {
        Privileged.Require();
        var counts = WebPods.ToDictionary(p => p, _ => 0);
        const int Connections = 300;
        for (var i = 0; i < Connections; i++)
        {
            var answer = await ServiceLab.AskAsync(Lab.Pod("app/client"), Lab.ClusterIP("app/web"), 80);
            Assert.Equal(AnswerKind.Answered, answer.Kind);
            Assert.Equal(Lab.PodIP("app/client"), answer.SeenClient);
            counts[answer.Pod!]++;
        }

        // Chi-square against uniform with 2 degrees of freedom: 13.8 is the 0.1% critical value.
        var expected = Connections / 3.0;
        var chiSquare = counts.Values.Sum(c => (c - expected) * (c - expected) / expected);
        Assert.True(chiSquare < 13.8, $"counts {string.Join(", ", counts)} give chi-square {chiSquare:F1}");
    }

    [SkippableFact]
    public async Task A_Service_without_endpoints_and_an_undefined_port_are_refused_at_once()
    {
        Privileged.Require();
        var empty = await ServiceLab.AskAsync(Lab.Pod("app/client"), Lab.ClusterIP("app/empty"), 80);
        var undefined = await ServiceLab.AskAsync(Lab.Pod("app/client"), Lab.ClusterIP("app/web"), 81);
        var fromNode = await ServiceLab.AskAsync(Lab.Node("node-2"), Lab.ClusterIP("app/empty"), 80);

        Assert.All(new[] { empty, undefined, fromNode }, answer =>
        {
            Assert.Equal(AnswerKind.Refused, answer.Kind);
            Assert.True(answer.Elapsed < TimeSpan.FromSeconds(1), $"refused after {answer.Elapsed}");
        });
    }

    [SkippableFact]
    public async Task A_NodePort_answers_on_every_node_from_outside_and_from_pods_with_the_client_masqueraded()
    {
        Privileged.Require();
        foreach (var node in new[] { "node-1", "node-2" })
        {
            for (var i = 0; i < 6; i++)
            {
                var external = await ServiceLab.AskAsync(Lab.Network.External, Lab.NodeIP(node), 30080);
                Assert.Equal(AnswerKind.Answered, external.Kind);
                Assert.Contains(external.SeenClient, new[] { Lab.NodeIP("node-1"), Lab.NodeIP("node-2") });
            }

            var fromPod = await ServiceLab.AskAsync(Lab.Pod("app/client"), Lab.NodeIP(node), 30080);
            Assert.Equal(AnswerKind.Answered, fromPod.Kind);
            Assert.NotEqual(Lab.PodIP("app/client"), fromPod.SeenClient);
        }

        var fromNodeItself = await ServiceLab.AskAsync(Lab.Node("node-1"), Lab.NodeIP("node-1"), 30080);
        Assert.Equal(AnswerKind.Answered, fromNodeItself.Kind);
        var onLoopback = await ServiceLab.AskAsync(Lab.Node("node-1"), IPAddress.Loopback, 30080, TimeSpan.FromMilliseconds(500));
        Assert.NotEqual(AnswerKind.Answered, onLoopback.Kind);
    }

    [SkippableFact]
    public async Task The_Local_policy_keeps_the_client_IP_and_drops_on_a_node_without_a_local_endpoint()
    {
        Privileged.Require();
        var external = IPAddress.Parse("198.18.0.2");

        var onNode2 = await ServiceLab.AskAsync(Lab.Network.External, Lab.NodeIP("node-2"), 30082);
        var onNode1 = await ServiceLab.AskAsync(Lab.Network.External, Lab.NodeIP("node-1"), 30082, TimeSpan.FromMilliseconds(700));
        var podOnNode1 = await ServiceLab.AskAsync(Lab.Pod("app/client"), Lab.NodeIP("node-1"), 30082);

        Assert.Equal(("app/web-b", external), (onNode2.Pod, onNode2.SeenClient));
        Assert.Equal(AnswerKind.TimedOut, onNode1.Kind);
        Assert.Equal(("app/web-b", Lab.PodIP("app/client")), (podOnNode1.Pod, podOnNode1.SeenClient));
    }

    [SkippableFact]
    public async Task ClientIP_affinity_sends_one_client_to_one_endpoint()
    {
        Privileged.Require();
        var answers = new List<string?>();
        for (var i = 0; i < 30; i++)
        {
            answers.Add((await ServiceLab.AskAsync(Lab.Pod("app/client"), Lab.ClusterIP("app/sticky"), 80)).Pod);
        }

        Assert.Single(answers.Distinct());
        Assert.Contains(answers[0], WebPods);
    }

    [SkippableFact]
    public async Task A_pod_reaching_itself_through_its_Service_is_masqueraded_to_its_node()
    {
        Privileged.Require();
        var answer = await ServiceLab.AskAsync(Lab.Pod("app/web-a"), Lab.ClusterIP("app/a-only"), 80);

        Assert.Equal(("app/web-a", Lab.NodeIP("node-1")), (answer.Pod, answer.SeenClient));
    }

    [SkippableFact]
    public async Task After_a_sync_without_an_endpoint_no_new_connection_reaches_it()
    {
        Privileged.Require();
        var before = Lab.Cluster;
        var without = Cluster.Valid(ServiceLabFixture.Yaml.Replace(
            "metadata: {name: web-c, namespace: app, labels: {app: web}}",
            "metadata: {name: web-c, namespace: app, labels: {app: web}, deletionTimestamp: \"2024-01-01T00:00:00Z\"}",
            StringComparison.Ordinal), Goldens.TwoNodes);
        Assert.Equal(Lab.PodIP("app/web-c"), without.PodsByName["app/web-c"].Status.PodIP);
        try
        {
            await Lab.SyncAsync(without);
            var status = Lab.LastSyncs["node-1"];
            Assert.False(status.Full);
            Assert.InRange(status.CommandCount, 1, 40);

            var seen = new HashSet<string?>();
            for (var i = 0; i < 60; i++)
            {
                seen.Add((await ServiceLab.AskAsync(Lab.Pod("app/client"), Lab.ClusterIP("app/web"), 80)).Pod);
            }

            Assert.Equal(["app/web-a", "app/web-b"], seen.Order());
        }
        finally
        {
            await Lab.SyncAsync(before);
        }
    }

    [SkippableFact]
    public async Task A_UDP_flow_to_an_endpoint_that_goes_away_moves_to_another_one_at_once()
    {
        Privileged.Require();
        using var socket = Lab.Pod("app/client").CreateSocket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Any, 40053));
        var first = await ServiceLab.AskUdpAsync(socket, Lab.ClusterIP("app/dns"), 53);
        Assert.Contains(first, WebPods);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(first, await ServiceLab.AskUdpAsync(socket, Lab.ClusterIP("app/dns"), 53));
        }

        var before = Lab.Cluster;
        var name = first![4..];
        var labels = name == "web-c" ? "{app: web}" : $"{{app: web, solo: {name[^1]}}}";
        var without = Cluster.Valid(ServiceLabFixture.Yaml.Replace(
            $"metadata: {{name: {name}, namespace: app, labels: {labels}}}",
            $"metadata: {{name: {name}, namespace: app, labels: {labels}, deletionTimestamp: \"2024-01-01T00:00:00Z\"}}",
            StringComparison.Ordinal), Goldens.TwoNodes);
        Assert.NotEqual(before.EndpointSlices, without.EndpointSlices);
        try
        {
            await Lab.SyncAsync(without);
            Assert.True(Lab.LastSyncs["node-1"].StaleUdpFlowCount > 0, Lab.LastSyncs["node-1"].ToString());

            // Once a flake, whenever the endpoint that went was node-1's only local one: its terminating entry in the
            // node's local list hid it from the stale-flow check (ServiceRulesetState.Used). No retry now.
            var after = await ServiceLab.AskUdpAsync(socket, Lab.ClusterIP("app/dns"), 53);
            Assert.NotNull(after);
            Assert.NotEqual(first, after);
        }
        finally
        {
            await Lab.SyncAsync(before);
        }
    }
}
