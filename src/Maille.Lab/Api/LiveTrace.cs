using System.Net;
using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using Maille.Engine;
using Maille.Engine.LoadBalancing;
using Maille.Engine.Mesh;
using Maille.Engine.Trace;
using Maille.Model;

namespace Maille.Lab.Api;

/// <summary>
/// <c>maille trace --lab NAME</c>, on the lab's daemon: besides the engine's hops over the plan the daemon runs, walks the
/// connection's first packet through the nftables rules the entry node's Service proxy applied, naming the chain and rule that decided, then,
/// for each endpoint, through the NetworkPolicy tables of the nodes that judge it (on 15008 where the mesh carries
/// the connection over HBONE), then asks the node proxy serving a meshed endpoint what it decides now; and says where
/// that live answer and the engine's prediction disagree.
/// </summary>
public static class LiveTrace
{
    /// <summary>
    /// The daemon's answer (<c>node</c>, <c>verdict</c>, <c>decision</c>, <c>steps</c>, <c>targets</c>, <c>policy</c>)
    /// with the engine's verdict set beside each endpoint's policy walk (<see cref="Compare"/>), or null when there is
    /// nothing to walk.
    /// </summary>
    /// <param name="meshDecision">What the node proxy serving a meshed pod (<c>namespace/name</c>) decides now for a
    /// TCP connection from an address to its port; null when no proxy serves it.</param>
    [SupportedOSPlatform("linux")]
    public static JsonNode? Query(IReadOnlyDictionary<string, NodeAgents.NodeAgent> agents, ClusterState cluster, TraceSource source, TraceTarget target, TraceResult predicted, Func<IPAddress, string, int, MeshVerdict?>? meshDecision = null)
    {
        var destination = Destination(cluster, target);
        var (node, ingress) = EntryNode(cluster, source, destination);
        if (destination is null || node is null || !agents.TryGetValue(node, out var agent))
        {
            return null;
        }

        var mesh = MeshAuthorizer.For(cluster);
        var podsByAddress = mesh.HasMeshedPods ? PodsByAddress(cluster) : [];
        Func<IPAddress, int, int>? judgedPort = source.Pod is { } client && mesh.HasMeshedPods
            ? (address, port) => podsByAddress.TryGetValue(address, out var pod) ? mesh.PolicyPort(client, pod, port, target.Protocol).Port : port
            : null;
        var answer = NodeAgentsResource.Trace(agent, agents, source.Address, destination, target.Protocol.ToString().ToLowerInvariant(), target.Port, ingress, judgedPort);
        if (answer["error"] is not null)
        {
            return null;
        }

        if (mesh.HasMeshedPods && target.Protocol == Protocol.TCP && meshDecision is not null)
        {
            AddMeshDecisions(answer, source.Address, podsByAddress, mesh, meshDecision);
        }

        Compare(answer, predicted);
        return answer;
    }

    /// <summary>
    /// Beside each meshed endpoint that NetworkPolicy let through, the live node proxy's decision (<c>mesh</c>: node,
    /// verdict, reason, policy and rule); when it refuses, the endpoint's live <c>verdict</c> becomes <c>denied</c>
    /// (<c>deniedByMesh</c>), as the engine's is.
    /// </summary>
    private static void AddMeshDecisions(JsonNode answer, IPAddress source, Dictionary<IPAddress, Pod> podsByAddress, MeshAuthorizer mesh, Func<IPAddress, string, int, MeshVerdict?> meshDecision)
    {
        foreach (var entry in (answer["policy"]?.AsArray() ?? []).OfType<JsonObject>())
        {
            var endpoint = IPEndPoint.Parse((string)entry["endpoint"]!);
            if (!podsByAddress.TryGetValue(endpoint.Address, out var pod) || !mesh.IsMeshed(pod) || (string)entry["verdict"]! != TraceResult.Allowed)
            {
                continue;
            }

            var verdict = meshDecision(source, pod.QualifiedName, endpoint.Port);
            entry["mesh"] = verdict is null
                ? new JsonObject { ["node"] = pod.Spec.NodeName, ["verdict"] = "not served", ["reason"] = $"no node proxy serves {pod.QualifiedName} now" }
                : new JsonObject
                {
                    ["node"] = pod.Spec.NodeName,
                    ["verdict"] = verdict.Allowed ? TraceResult.Allowed : TraceResult.Denied,
                    ["reason"] = verdict.ToString(),
                    ["policy"] = verdict.DecidedBy?.Policy,
                    ["rule"] = verdict.DecidedBy?.Rule,
                };
            if (verdict is { Allowed: false })
            {
                entry["verdict"] = TraceResult.Denied;
                entry["deniedByMesh"] = true;
            }
        }
    }

    private static Dictionary<IPAddress, Pod> PodsByAddress(ClusterState cluster) =>
        cluster.Pods.Where(p => !p.Spec.HostNetwork && p.Status.PodIP is not null).GroupBy(p => p.Status.PodIP!).ToDictionary(g => g.Key, g => g.First());

    /// <summary>
    /// Sets, beside each endpoint's live policy walk, the engine's verdict for the same endpoint (<c>engine</c>:
    /// <c>allowed</c>/<c>denied</c>, <c>engineDecidedBy</c>), whether the two agree (<c>agreesWithEngine</c>), and a
    /// sentence when they do not (<c>disagreement</c>); and lists under <c>disagreements</c> every disagreement, with the
    /// endpoints the engine expects that the live Service rules never choose, and the other way round.
    /// </summary>
    public static void Compare(JsonNode nftables, TraceResult predicted)
    {
        var disagreements = new JsonArray();
        var policy = nftables["policy"]?.AsArray() ?? [];
        foreach (var entry in policy.OfType<JsonObject>())
        {
            var endpoint = (string)entry["endpoint"]!;
            var live = (string)entry["verdict"]!;
            var expected = predicted.Endpoints.FirstOrDefault(e => $"{e.Ip}:{e.Port}" == endpoint);
            if (expected is null)
            {
                entry["engine"] = null;
                entry["agreesWithEngine"] = false;
                var text = $"the live Service rules may send the connection to {endpoint}, an endpoint the engine does not expect";
                entry["disagreement"] = text;
                disagreements.Add((JsonNode)text);
                continue;
            }

            var engine = expected.Verdict == TraceResult.Denied ? TraceResult.Denied : TraceResult.Allowed;
            entry["engine"] = engine;
            entry["engineDecidedBy"] = new JsonArray([.. expected.DecidedBy.Select(d => (JsonNode)JsonValue.Create(d))]);
            entry["agreesWithEngine"] = engine == live;
            if (engine != live)
            {
                var why = expected.DecidedBy.Count == 0 ? "no NetworkPolicy applies" : string.Join("; ", expected.DecidedBy);
                var where = entry["walks"]!.AsArray().OfType<JsonObject>().Where(w => (string)w["verdict"]! != "accepted").Select(w => (string)w["node"]!).ToList();
                if (entry["deniedByMesh"] is not null)
                {
                    where.Add($"{entry["mesh"]!["node"]}'s node proxy");
                }

                var text = $"{Name(entry)}: the engine predicts {engine} ({why}), but the live rules {(live == TraceResult.Denied ? $"deny it on {string.Join(", ", where)}" : "let it through")}";
                entry["disagreement"] = text;
                disagreements.Add((JsonNode)text);
            }
        }

        if (policy.Count > 0 || (string?)nftables["verdict"] == "translated")
        {
            var walked = policy.OfType<JsonObject>().Select(e => (string)e["endpoint"]!).ToHashSet(StringComparer.Ordinal);
            foreach (var missing in predicted.Endpoints.Where(e => !walked.Contains($"{e.Ip}:{e.Port}")))
            {
                disagreements.Add((JsonNode)$"the engine expects endpoint {missing.Pod ?? missing.Ip} {missing.Ip}:{missing.Port}, which the live Service rules never choose");
            }
        }

        nftables["disagreements"] = disagreements;
    }

    public static void WriteText(TextWriter writer, JsonNode nftables)
    {
        writer.WriteLine();
        writer.WriteLine((string?)nftables["table"] switch
        {
            "ebpf socket LB maps" => $"  socket hooks on {nftables["node"]} ({nftables["table"]}): {nftables["verdict"]}",
            { } table when table.StartsWith("ebpf", StringComparison.Ordinal) => $"  tc program on {nftables["node"]} ({table}): {nftables["verdict"]}",
            var table => $"  nftables on {nftables["node"]} (table {table}): {nftables["verdict"]}",
        });
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

        WritePolicy(writer, nftables);
    }

    /// <summary>Each endpoint's policy walk, node by node: the rules that matched, then each direction in one sentence.</summary>
    private static void WritePolicy(TextWriter writer, JsonNode nftables)
    {
        foreach (var entry in (nftables["policy"]?.AsArray() ?? []).OfType<JsonObject>())
        {
            writer.WriteLine();
            writer.WriteLine($"  NetworkPolicy to {Name(entry)}:");
            var walks = entry["walks"]!.AsArray().OfType<JsonObject>().ToList();
            if (walks.Count == 0)
            {
                writer.WriteLine("    no node judges it (no pod of the lab at either end, or a pod and its own node): allowed");
            }

            foreach (var walk in walks)
            {
                writer.WriteLine($"    {walk["node"]} (table {walk["table"]}, {walk["source"]} → {walk["destination"]}:{walk["port"]}/{walk["protocol"]}): {walk["verdict"]}");
                foreach (var step in walk["steps"]!.AsArray())
                {
                    writer.WriteLine($"      {step}");
                }

                if ((bool)walk["hairpin"]!)
                {
                    writer.WriteLine("      a pod reaching itself: allowed before any policy");
                }

                foreach (var side in new[] { walk["egress"], walk["ingress"] }.OfType<JsonObject>())
                {
                    writer.WriteLine($"      {side["text"]}");
                    if (side["counter"] is JsonObject counter)
                    {
                        writer.WriteLine(counter["packets"] is null
                            ? $"        counter {counter["name"]} on {counter["node"]}: not read"
                            : $"        counter {counter["name"]} on {counter["node"]}: {counter["packets"]} packets, {counter["bytes"]} bytes");
                    }
                }

                if (!(bool)walk["agrees"]!)
                {
                    writer.WriteLine($"      DISAGREEMENT on {walk["node"]}: the table {walk["verdict"]} it, but the plan it was rendered from says {walk["plan"]}");
                }
            }

            foreach (var walk in (entry["ebpf"]?.AsArray() ?? []).OfType<JsonObject>())
            {
                writer.WriteLine($"    {walk["node"]} (ebpf maps, {walk["direction"]} of {walk["pod"]}, peer {walk["peer"]}, {walk["port"]}/{walk["protocol"]}): {walk["verdict"]}");
                foreach (var step in walk["steps"]!.AsArray())
                {
                    writer.WriteLine($"      {step}");
                }
            }

            if (entry["mesh"] is JsonObject mesh)
            {
                writer.WriteLine($"    node proxy on {mesh["node"]}: {mesh["verdict"]}: {mesh["reason"]}");
            }

            if (entry["disagreement"] is { } disagreement)
            {
                writer.WriteLine($"    DISAGREEMENT: {disagreement}");
            }
            else if (entry["engine"] is not null)
            {
                writer.WriteLine($"    live: {entry["verdict"]}, as the engine predicts");
            }
        }

        var others = (nftables["disagreements"]?.AsArray() ?? []).Select(d => (string)d!)
            .Where(d => !(nftables["policy"]?.AsArray() ?? []).Any(e => (string?)e?["disagreement"] == d)).ToList();
        foreach (var other in others)
        {
            writer.WriteLine();
            writer.WriteLine($"  DISAGREEMENT: {other}");
        }
    }

    private static string Name(JsonNode entry) => entry["pod"] is { } pod ? $"{pod} {entry["endpoint"]}" : (string)entry["endpoint"]!;

    private static IPAddress? Destination(ClusterState cluster, TraceTarget target) =>
        target.Address
        ?? (target.ServiceName is not null && cluster.ServicesByName.TryGetValue($"{target.Namespace}/{target.ServiceName}", out var service) ? service.ClusterIP : null)
        ?? (target.PodName is not null && cluster.PodsByName.TryGetValue($"{target.Namespace}/{target.PodName}", out var pod) ? pod.Status.PodIP : null);

    /// <summary>
    /// The node whose rules decide the Service: a pod's own node, or the node whose address it reaches; from outside, the node that owns the destination
    /// address (a node IP), the node announcing it (a LoadBalancer IP), or, for any other address, the first node.
    /// </summary>
    private static (string? Node, string Ingress) EntryNode(ClusterState cluster, TraceSource source, IPAddress? destination)
    {
        if (source.Pod is { } pod)
        {
            // Another node's address (its NodePort) is not captured by the pod's own node: that node's rules decide,
            // the packet arriving from the node network.
            var addressed = cluster.Nodes.FirstOrDefault(n => n.InternalIP is { } ip && ip.Equals(destination) && n.Name != pod.Spec.NodeName);
            return addressed is not null ? (addressed.Name, "underlay") : (pod.Spec.NodeName, pod.Spec.HostNetwork ? "node" : "pod");
        }

        var owner = cluster.Nodes.FirstOrDefault(n => n.InternalIP is { } ip && ip.Equals(destination))?.Name
            ?? L2AnnouncerElection.Elect(cluster).FirstOrDefault(a => a.Address.Equals(destination) && a.Node is not null)?.Node
            ?? (cluster.Nodes.Count > 0 ? cluster.Nodes[0].Name : null);
        return (owner, "underlay");
    }
}
