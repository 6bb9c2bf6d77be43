using System.Globalization;
using System.Text;

namespace Maille.TestKit;

/// <summary>
/// Seeded random worlds for the Service decision ladder, one Service each, in namespace <c>app</c> on three nodes: a
/// client pod and a hostNetwork client on every node (<c>client-1</c>..<c>client-3</c>, <c>host-1</c>..<c>host-3</c>), and zero to six endpoint pods <c>e0</c>.. labelled
/// app=web on random nodes, each ready, not ready, terminating while serving, or terminating and no longer serving.
/// The Service <c>web</c> is ClusterIP, NodePort (30080) or LoadBalancer (30080, an address from the default pool),
/// with internalTrafficPolicy and (when external) externalTrafficPolicy each Local or Cluster, sometimes
/// <c>loadBalancerSourceRanges</c>, <c>sessionAffinity: ClientIP</c> or <c>publishNotReadyAddresses</c>, port 80 over TCP or UDP to the named
/// targetPort http (8080). The same seed always gives the same YAML.
/// </summary>
public static class RandomServiceDecisions
{
    public const int NodeCount = 3;

    public const int NodePort = 30080;

    private static readonly string[] States = ["ready", "not-ready", "terminating", "terminated"];

    /// <summary>The outside client and the nodes; neither; only the pods.</summary>
    private static readonly string[] SourceRanges = ["198.18.0.0/28", "198.18.0.128/25", "198.19.0.0/16"];

    public static string Yaml(int seed)
    {
        var random = new Random(seed);
        var yaml = new StringBuilder("apiVersion: v1\nkind: Namespace\nmetadata: {name: app}\n---\n");
        for (var node = 1; node <= NodeCount; node++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"apiVersion: v1\nkind: Pod\nmetadata: {{name: client-{node}, namespace: app, labels: {{role: client}}}}\n")
                .Append(CultureInfo.InvariantCulture, $"spec: {{nodeName: node-{node}, containers: [{{name: c}}]}}\n---\n")
                .Append(CultureInfo.InvariantCulture, $"apiVersion: v1\nkind: Pod\nmetadata: {{name: host-{node}, namespace: app, labels: {{role: client}}}}\n")
                .Append(CultureInfo.InvariantCulture, $"spec: {{nodeName: node-{node}, hostNetwork: true, containers: [{{name: c}}]}}\n---\n");
        }

        var protocol = random.Next(3) == 0 ? "UDP" : "TCP";
        var endpoints = random.Next(7);
        for (var i = 0; i < endpoints; i++)
        {
            var state = States[random.Next(States.Length)];
            var deletion = state is "terminating" or "terminated" ? ", deletionTimestamp: \"2026-01-01T00:00:00Z\"" : "";
            var ready = state is "ready" or "terminating" ? "True" : "False";
            yaml.Append(CultureInfo.InvariantCulture, $"apiVersion: v1\nkind: Pod\nmetadata: {{name: e{i}, namespace: app, labels: {{app: web}}{deletion}}}\n")
                .Append(CultureInfo.InvariantCulture, $"spec: {{nodeName: node-{1 + random.Next(NodeCount)}, containers: [{{name: c, ports: [{{name: http, containerPort: 8080, protocol: {protocol}}}]}}]}}\n")
                .Append(CultureInfo.InvariantCulture, $"status: {{conditions: [{{type: Ready, status: \"{ready}\"}}]}}\n---\n");
        }

        var type = new[] { "ClusterIP", "NodePort", "LoadBalancer" }[random.Next(3)];
        var spec = new List<string> { $"type: {type}", "selector: {app: web}" };
        spec.Add($"internalTrafficPolicy: {(random.Next(2) == 0 ? "Local" : "Cluster")}");
        if (type != "ClusterIP")
        {
            spec.Add($"externalTrafficPolicy: {(random.Next(2) == 0 ? "Local" : "Cluster")}");
        }

        if (type == "LoadBalancer" && random.Next(3) == 0)
        {
            spec.Add($"loadBalancerSourceRanges: [{SourceRanges[random.Next(SourceRanges.Length)]}]");
        }

        if (random.Next(3) == 0)
        {
            spec.Add("sessionAffinity: ClientIP");
        }

        if (random.Next(8) == 0)
        {
            spec.Add("publishNotReadyAddresses: true");
        }

        var nodePort = type == "ClusterIP" ? "" : $", nodePort: {NodePort}";
        spec.Add($"ports: [{{port: 80, protocol: {protocol}, targetPort: http{nodePort}}}]");
        yaml.Append("apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: app}\nspec:\n")
            .AppendJoin("", spec.Select(line => $"  {line}\n"));
        return yaml.ToString();
    }
}
