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
}
