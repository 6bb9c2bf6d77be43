using System.Globalization;
using System.Net;
using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using Maille.Engine;
using Maille.Engine.Trace;
using Maille.Lab.Api;

namespace Maille.Cli.Lab;

/// <summary>
/// <c>maille trace --lab NAME</c>: besides the engine's hops, asks the lab's daemon to walk the connection's first packet
/// through the nftables rules the entry node's Service proxy applied, naming the chain and rule that decided.
/// </summary>
internal static class LiveTrace
{
    /// <summary>The daemon's answer (<c>node</c>, <c>verdict</c>, <c>decision</c>, <c>steps</c>, <c>targets</c>), or null when there is nothing to walk.</summary>
    [SupportedOSPlatform("linux")]
    public static JsonNode? Query(CliContext context, string lab, ClusterState cluster, TraceSource source, TraceTarget target)
    {
        var destination = Destination(cluster, target);
        var (node, ingress) = EntryNode(cluster, source, destination);
        if (destination is null || node is null)
        {
            return null;
        }

        using var client = LabApi.Connect(context, lab);
        if (client is null)
        {
            return null;
        }

        var query = $"source={source.Address}&destination={destination}&protocol={target.Protocol.ToString().ToLowerInvariant()}&port={target.Port.ToString(CultureInfo.InvariantCulture)}&ingress={ingress}";
        var (status, answer) = client.SendAsync(HttpMethod.Get, $"/apis/{LabApiServer.MailleGroup}/nodeagents/{node}/trace?{query}", null).GetAwaiter().GetResult();
        return status == 200 && answer?["error"] is null ? answer : null;
    }

    public static void WriteText(TextWriter writer, JsonNode nftables)
    {
        writer.WriteLine();
        writer.WriteLine($"  nftables on {nftables["node"]} (table {nftables["table"]}): {nftables["verdict"]}");
        foreach (var step in nftables["steps"]!.AsArray())
        {
            writer.WriteLine($"    {step}");
        }

        if (nftables["decision"] is { } decision)
        {
            writer.WriteLine($"    decided by {decision}");
        }

        foreach (var endpoint in nftables["targets"]!.AsArray())
        {
            writer.WriteLine($"    → {endpoint}");
        }
    }

    private static IPAddress? Destination(ClusterState cluster, TraceTarget target) =>
        target.Address
        ?? (target.ServiceName is not null && cluster.ServicesByName.TryGetValue($"{target.Namespace}/{target.ServiceName}", out var service) ? service.ClusterIP : null)
        ?? (target.PodName is not null && cluster.PodsByName.TryGetValue($"{target.Namespace}/{target.PodName}", out var pod) ? pod.Status.PodIP : null);

    /// <summary>
    /// The node whose rules the packet meets first: a pod's own node; from outside, the node that owns the destination
    /// address (a node IP) or, for any other address, the first node.
    /// </summary>
    private static (string? Node, string Ingress) EntryNode(ClusterState cluster, TraceSource source, IPAddress? destination)
    {
        if (source.Pod is { } pod)
        {
            return (pod.Spec.NodeName, pod.Spec.HostNetwork ? "node" : "pod");
        }

        var owner = cluster.Nodes.FirstOrDefault(n => n.InternalIP is { } ip && ip.Equals(destination)) ?? (cluster.Nodes.Count > 0 ? cluster.Nodes[0] : null);
        return (owner?.Name, "underlay");
    }
}
