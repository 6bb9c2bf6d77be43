using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Maille.Engine;
using Maille.Engine.Ingresses;
using Maille.Kube;
using Maille.Model;

namespace Maille.Benchmarks;

/// <summary>
/// The Ingress router per request (issue 8): 1,000 Ingresses (one host each, <c>h{i}.example</c>, with Prefix
/// <c>/</c>, Prefix <c>/api</c>, Exact <c>/api/health</c> and Prefix <c>/static/v{i % 5}</c>, each to its own Service of
/// the synthetic cluster) plus a wildcard <c>*.wild.example</c>. The baseline answers the same question the way a
/// naive router would: every rule of every Ingress, in order, keeping the longest match (Exact winning ties).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class IngressRouterBenchmarks
{
    private const int Ingresses = 1000;

    private ClusterState _cluster = null!;
    private IngressRouteTable _table = null!;

    [GlobalSetup]
    public void Setup()
    {
        var yaml = SyntheticCluster.Yaml(services: Ingresses, podsPerService: 2, namespaces: 10) + IngressYaml();
        var (manifests, _) = ManifestLoader.Load([new ManifestSource("bench.yaml", yaml)]);
        _cluster = ClusterPlanner.Plan(manifests, ClusterConfig.Default with { NodeCount = 10 }).Cluster
            ?? throw new InvalidOperationException("the synthetic cluster did not plan");
        _table = IngressRouteTable.Build(_cluster);
        if (_table.Selection.Served.Count != Ingresses + 1 || _table.Route("h537.example", "/api/items/42").Route?.Path != "/api"
            || Naive("h537.example", "/api/items/42")?.Path != "/api")
        {
            throw new InvalidOperationException("the Ingresses did not route as expected: " + string.Join("\n", _table.Problems.Take(5)));
        }
    }

    [Benchmark(Description = "compile the table (1,001 Ingresses)")]
    public int Build() => IngressRouteTable.Build(_cluster).Selection.Served.Count;

    [Benchmark(Baseline = true, Description = "naive: scan every rule")]
    public object? NaiveLookup() => Naive("h537.example", "/api/items/42");

    [Benchmark(Description = "table: exact host, Prefix /api")]
    public object RouteExactHost() => _table.Route("h537.example", "/api/items/42");

    [Benchmark(Description = "table: Host with port and capitals, Exact path")]
    public object RouteExactPath() => _table.Route("H537.Example:80", "/api/health");

    [Benchmark(Description = "table: wildcard host")]
    public object RouteWildcard() => _table.Route("shop.wild.example", "/cart/items");

    [Benchmark(Description = "table: no match (404)")]
    public object RouteMiss() => _table.Route("nowhere.example", "/");

    private static string IngressYaml()
    {
        var text = new StringBuilder("\n---\napiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: maille\n  annotations: {ingressclass.kubernetes.io/is-default-class: \"true\"}\nspec: {controller: maille.dev/ingress-controller}\n");
        for (var i = 0; i < Ingresses; i++)
        {
            var backend = $"{{service: {{name: app-{i}, port: {{number: 80}} }} }}";
            text.Append(CultureInfo.InvariantCulture, $"""
                ---
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {"{"}name: ing-{i}, namespace: ns-{i % 10}{"}"}
                spec:
                  rules:
                  - host: h{i}.example
                    http:
                      paths:
                      - {"{"}pathType: Prefix, path: /, backend: {backend}{"}"}
                      - {"{"}pathType: Prefix, path: /api, backend: {backend}{"}"}
                      - {"{"}pathType: Exact, path: /api/health, backend: {backend}{"}"}
                      - {"{"}pathType: Prefix, path: /static/v{i % 5}, backend: {backend}{"}"}

                """);
        }

        text.Append("---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: wild, namespace: ns-0}\nspec:\n  rules:\n  - host: \"*.wild.example\"\n    http:\n      paths:\n      - {pathType: Prefix, path: /, backend: {service: {name: app-0, port: {number: 80} } } }\n");
        return text.ToString();
    }

    /// <summary>What a router without a compiled table does: look at every path of every Ingress for the host.</summary>
    private IngressPath? Naive(string host, string path)
    {
        IngressPath? best = null;
        var bestLength = -1;
        foreach (var ingress in _cluster.Ingresses)
        {
            foreach (var rule in ingress.Rules)
            {
                if (rule.Host is not null && rule.Host != host)
                {
                    continue;
                }

                foreach (var candidate in rule.Paths)
                {
                    var trimmed = candidate.Path!.TrimEnd('/');
                    var exact = candidate.PathType == "Exact";
                    var matches = exact ? candidate.Path == path : trimmed.Length == 0 || path == trimmed || path.StartsWith(trimmed + "/", StringComparison.Ordinal);
                    var length = exact ? candidate.Path!.Length : trimmed.Length;
                    if (matches && (length > bestLength || (length == bestLength && exact)))
                    {
                        (best, bestLength) = (candidate, length);
                    }
                }
            }
        }

        return best;
    }
}
