using System.Text.Json.Nodes;
using Maille.Engine;
using Maille.Engine.NetworkPolicies;
using Maille.Model;

namespace Maille.Cli.Ui;

/// <summary>The JSON the page reads (docs/ui.md, "The page's API"): the topology and the matrix, from the engine's plan.</summary>
internal static class UiJson
{
    /// <summary>Nodes, pods, Services (LoadBalancers are the Services of that type), Ingresses and Gateways, and who points at whom.</summary>
    public static JsonObject Topology(ClusterState cluster, IUiSource source)
    {
        var services = new JsonArray();
        foreach (var service in cluster.Services)
        {
            var endpoints = cluster.SlicesFor(service)
                .SelectMany(s => s.Endpoints)
                .Select(e => e.TargetPod)
                .OfType<string>()
                .Distinct(StringComparer.Ordinal)
                .Select(pod => (JsonNode)JsonValue.Create(pod.Contains('/', StringComparison.Ordinal) ? pod : $"{service.Namespace}/{pod}"));
            services.Add(new JsonObject
            {
                ["name"] = service.QualifiedName,
                ["namespace"] = service.Namespace,
                ["type"] = service.Type.ToString(),
                ["clusterIP"] = service.ClusterIP?.ToString(),
                ["loadBalancer"] = new JsonArray([.. service.LoadBalancerIngress.Select(a => (JsonNode)JsonValue.Create(a))]),
                ["ports"] = new JsonArray([.. service.Ports.Select(p => (JsonNode)JsonValue.Create(p.ToString()))]),
                ["endpoints"] = new JsonArray([.. endpoints]),
            });
        }

        return new JsonObject
        {
            ["mode"] = source.Mode,
            ["source"] = source.Description,
            ["nodes"] = new JsonArray([.. cluster.Nodes.Select(n => (JsonNode)new JsonObject
            {
                ["name"] = n.Name,
                ["internalIP"] = n.InternalIP?.ToString(),
                ["podCIDR"] = n.PodCidr?.ToString(),
            })]),
            ["pods"] = new JsonArray([.. cluster.Pods.Select(p => (JsonNode)new JsonObject
            {
                ["name"] = p.QualifiedName,
                ["namespace"] = p.Namespace,
                ["node"] = p.Spec.NodeName,
                ["ip"] = p.Status.PodIP?.ToString(),
            })]),
            ["services"] = services,
            ["ingresses"] = new JsonArray([.. cluster.Ingresses.Select(i => (JsonNode)new JsonObject
            {
                ["name"] = i.Meta.Name,
                ["namespace"] = i.Namespace,
                ["className"] = i.ClassName,
                ["services"] = Names(IngressBackends(i).Select(name => $"{i.Namespace}/{name}")),
            })]),
            ["gateways"] = new JsonArray([.. cluster.Gateways.Select(g => (JsonNode)new JsonObject
            {
                ["name"] = g.Meta.Name,
                ["namespace"] = g.Namespace,
                ["className"] = g.GatewayClassName,
                ["services"] = Names(GatewayBackends(cluster, g)),
            })]),
        };
    }

    /// <summary>
    /// Pods in matrix order (by <c>namespace/name</c>, so each namespace's rows are together), the namespaces' spans,
    /// the ports, and for each port the allowed cells as a bitset: bit <c>from × pods + to</c>, least significant bit of
    /// each byte first, base64. 5,000 pods make 3 MB a port instead of 25 million JSON objects.
    /// </summary>
    public static JsonObject Matrix(ReachabilityMatrix matrix)
    {
        var n = matrix.Pods.Length;
        var namespaces = new JsonArray();
        for (var start = 0; start < n;)
        {
            var ns = matrix.Pods[start].Namespace;
            var end = start;
            while (end < n && matrix.Pods[end].Namespace == ns)
            {
                end++;
            }

            namespaces.Add(new JsonObject { ["name"] = ns, ["start"] = start, ["count"] = end - start });
            start = end;
        }

        var allowed = new JsonArray();
        for (var port = 0; port < matrix.Ports.Length; port++)
        {
            var bits = new byte[(((long)n * n) + 7) / 8];
            for (var from = 0; from < n; from++)
            {
                for (var to = 0; to < n; to++)
                {
                    if (matrix.IsAllowed(port, from, to))
                    {
                        var bit = ((long)from * n) + to;
                        bits[bit >> 3] |= (byte)(1 << (int)(bit & 7));
                    }
                }
            }

            allowed.Add(Convert.ToBase64String(bits));
        }

        return new JsonObject
        {
            ["pods"] = Names(matrix.Pods.Select(p => p.QualifiedName)),
            ["namespaces"] = namespaces,
            ["ports"] = Names(matrix.Ports.Select(p => p.ToString())),
            ["allowed"] = allowed,
        };
    }

    /// <summary>One cell with the rule that decided it, as the evaluator words it (the matrix's own verdict).</summary>
    public static JsonObject? Verdict(ReachabilityMatrix matrix, string from, string to, string port)
    {
        var f = IndexOf(matrix.Pods.Select(x => x.QualifiedName), from);
        var t = IndexOf(matrix.Pods.Select(x => x.QualifiedName), to);
        var p = IndexOf(matrix.Ports.Select(x => x.ToString()), port);
        if (f < 0 || t < 0 || p < 0)
        {
            return null;
        }

        var verdict = matrix[p, f, t];
        return new JsonObject
        {
            ["from"] = from,
            ["to"] = to,
            ["port"] = port,
            ["allowed"] = matrix.IsAllowed(p, f, t),
            ["reason"] = verdict.ToString(),
        };
    }

    private static int IndexOf(IEnumerable<string> names, string name) =>
        names.Select((n, i) => (n, i)).FirstOrDefault(x => x.n == name, (n: "", i: -1)).i;

    private static JsonArray Names(IEnumerable<string> names) =>
        new([.. names.Distinct(StringComparer.Ordinal).Select(n => (JsonNode)JsonValue.Create(n))]);

    private static IEnumerable<string> IngressBackends(Ingress ingress) =>
        new[] { ingress.DefaultBackend }
            .Concat(ingress.Rules.SelectMany(r => r.Paths).Select(p => p.Backend))
            .Select(b => b?.Service?.Name)
            .OfType<string>();

    /// <summary>The Services of the HTTPRoutes and GRPCRoutes attached to <paramref name="gateway"/>.</summary>
    private static IEnumerable<string> GatewayBackends(ClusterState cluster, Gateway gateway)
    {
        bool Attached(string routeNamespace, IEnumerable<GatewayParentRef> parents) =>
            parents.Any(p => p.Kind == "Gateway" && p.Name == gateway.Meta.Name && (p.Namespace ?? routeNamespace) == gateway.Namespace);

        var http = cluster.HttpRoutes
            .Where(r => Attached(r.Namespace, r.ParentRefs))
            .SelectMany(r => r.Rules.SelectMany(rule => rule.BackendRefs).Select(b => (r.Namespace, Ref: b)));
        var grpc = cluster.GrpcRoutes
            .Where(r => Attached(r.Namespace, r.ParentRefs))
            .SelectMany(r => r.Rules.SelectMany(rule => rule.BackendRefs).Select(b => (r.Namespace, Ref: b)));
        return http.Concat(grpc)
            .Where(b => b.Ref.Kind == "Service" && b.Ref.Group.Length == 0)
            .Select(b => $"{b.Ref.Namespace ?? b.Namespace}/{b.Ref.Name}");
    }
}
