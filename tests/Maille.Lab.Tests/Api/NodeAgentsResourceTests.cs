using Maille.Lab.Api;
using Maille.Lab.NodeAgents;

namespace Maille.Lab.Tests.Api;

// The parts' JSON under GET /apis/maille.dev/v1alpha1/nodeagents is a public contract: every field a part reported
// before the shared runner is still there, with its name and unit; the runner's own fields come beside them.
public sealed class NodeAgentsResourceTests
{
    private static readonly NodePartStatus Synced = new()
    {
        Syncs = 3,
        FailedSyncs = 1,
        FullSyncs = 2,
        CoalescedRequests = 4,
        LastSyncMilliseconds = 12.5,
        LastApplyMilliseconds = 2.25,
        LastSyncWasFull = false,
        LastCommandCount = 7,
        LastSyncAt = new DateTimeOffset(2026, 1, 1, 0, 0, 1, TimeSpan.Zero),
        RequestedGeneration = 9,
        SyncedGeneration = 9,
        Details = new ServiceProxyDetails(),
    };

    [Fact]
    public void The_service_proxy_keeps_every_field_it_reported_before_with_its_unit()
    {
        var json = NodeAgentsResource.Part(Synced with
        {
            Details = new ServiceProxyDetails { ServicePortCount = 5, RuleCount = 40, ElementCount = 60, StaleUdpFlowFlushCount = 2 },
        });

        Assert.Equal(
            (3L, 1L, 4L, "00:00:00.0125000", "00:00:00.0022500", false, 7, "2026-01-01T00:00:01+00:00", 5, 40, 60, 2L, (string?)null, 9L),
            ((long)json["syncCount"]!, (long)json["failedSyncCount"]!, (long)json["coalescedRequestCount"]!, (string)json["lastSyncDuration"]!,
                (string)json["lastApplyDuration"]!, (bool)json["lastSyncWasFull"]!, (int)json["lastCommandCount"]!, (string)json["lastSyncAt"]!,
                (int)json["servicePortCount"]!, (int)json["ruleCount"]!, (int)json["elementCount"]!, (long)json["staleUdpFlowFlushCount"]!,
                (string?)json["lastError"], (long)json["syncedGeneration"]!));
        Assert.False(json.ContainsKey("details"));
    }

    [Fact]
    public void The_policy_enforcer_keeps_every_field_it_reported_before_and_every_part_has_the_runners_fields()
    {
        var json = NodeAgentsResource.Part(Synced with
        {
            Details = new PolicyEnforcerDetails { IngressIsolatedPods = 2, EgressIsolatedPods = 1, Chains = 3, Rules = 8, Sets = 4, Elements = 12, Counters = 5, FlushedConnections = 6 },
        });

        Assert.Equal(
            (3L, 1L, 12.5, 2.25, false, 7, 2, 1, 3, 8, 4, 12, 5, 6L),
            ((long)json["syncs"]!, (long)json["failedSyncs"]!, (double)json["lastSyncMilliseconds"]!, (double)json["lastApplyMilliseconds"]!,
                (bool)json["lastSyncWasFull"]!, (int)json["lastCommandCount"]!, (int)json["ingressIsolatedPods"]!, (int)json["egressIsolatedPods"]!,
                (int)json["chains"]!, (int)json["rules"]!, (int)json["sets"]!, (int)json["elements"]!, (int)json["counters"]!, (long)json["flushedConnections"]!));
        Assert.True(json.ContainsKey("lastError"));
        Assert.All(
            ["fullSyncs", "coalescedRequests", "consecutiveFailures", "lastFullSyncAt", "nextRetryAt", "requestedGeneration", "syncedGeneration"],
            field => Assert.True(json.ContainsKey(field), field));
        Assert.False(json.ContainsKey("syncCount"));   // the Service proxy's earlier names are its own
    }

    [Fact]
    public void Kubectl_gets_node_agents_as_a_table_of_named_objects_with_their_process_columns()
    {
        var list = new System.Text.Json.Nodes.JsonObject
        {
            ["items"] = new System.Text.Json.Nodes.JsonArray(
                new System.Text.Json.Nodes.JsonObject
                {
                    ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "node-1" },
                    ["node"] = "node-1",
                    ["running"] = true,
                    ["syncs"] = 4,
                    ["lastSyncMilliseconds"] = 12.5,
                    ["lastError"] = "",
                    ["process"] = new System.Text.Json.Nodes.JsonObject { ["pid"] = 4242, ["restarts"] = 1, ["repairs"] = 2, ["observedVersion"] = "118" },
                },
                new System.Text.Json.Nodes.JsonObject
                {
                    ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "node-2" },
                    ["node"] = "node-2",
                    ["running"] = false,
                    ["syncs"] = 0,
                    ["lastSyncMilliseconds"] = null,
                    ["lastError"] = "nft: busy",
                }),
        };

        var table = NodeAgentsResource.Table(list, 7, includeObject: null);

        Assert.Equal(("Table", "7"), ((string?)table["kind"], (string?)table["metadata"]!["resourceVersion"]));
        Assert.Equal(["NAME", "RUNNING", "SYNCS", "REPAIRS", "OBSERVED", "LAST SYNC MS", "PID", "RESTARTS", "LAST ERROR"], table["columnDefinitions"]!.AsArray().Select(c => (string?)c!["name"]));
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 1], table["columnDefinitions"]!.AsArray().Select(c => (int)c!["priority"]!));
        Assert.Equal(["node-1", "true", "4", "2", "118", "12.5", "4242", "1", "<none>"], table["rows"]![0]!["cells"]!.AsArray().Select(c => (string?)c));
        Assert.Equal(["node-2", "false", "0", "<none>", "<none>", "<none>", "<none>", "<none>", "nft: busy"], table["rows"]![1]!["cells"]!.AsArray().Select(c => (string?)c));
        Assert.Equal("node-1", (string?)table["rows"]![0]!["object"]!["metadata"]!["name"]);
    }
}
