using System.Globalization;
using System.Text.Json.Nodes;

namespace Maille.Lab.NodeAgents;

/// <summary>What a node's Service proxy holds: Service ports, rules and elements (kube-proxy's sync metrics, as a value).</summary>
public sealed record ServiceProxyDetails : NodePartDetails
{
    public int ServicePortCount { get; init; }

    public int RuleCount { get; init; }

    /// <summary>Elements of the table's sets and maps, dynamic affinity sets excluded.</summary>
    public int ElementCount { get; init; }

    /// <summary>UDP conntrack flushes asked for after endpoints went away, since start.</summary>
    public long StaleUdpFlowFlushCount { get; init; }

    /// <summary>The Service proxy's names from before the shared runner (durations as .NET <c>TimeSpan</c> text).</summary>
    public override IEnumerable<KeyValuePair<string, JsonNode?>> EarlierFields(NodePartStatus status) =>
    [
        new("syncCount", status.Syncs),
        new("failedSyncCount", status.FailedSyncs),
        new("coalescedRequestCount", status.CoalescedRequests),
        new("lastSyncDuration", Duration(status.LastSyncMilliseconds)),
        new("lastApplyDuration", Duration(status.LastApplyMilliseconds)),
    ];

    private static string Duration(double milliseconds) =>
        TimeSpan.FromTicks((long)(milliseconds * TimeSpan.TicksPerMillisecond)).ToString("c", CultureInfo.InvariantCulture);
}
