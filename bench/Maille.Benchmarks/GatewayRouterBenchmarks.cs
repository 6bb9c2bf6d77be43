using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Maille.Engine;
using Maille.Engine.Gateways;
using Maille.Kube;
using Maille.Model;

namespace Maille.Benchmarks;

/// <summary>
/// The Gateway route lookup per request (issue 17's goal: ≤ 100 ns among 1,000 routes): one Gateway (HTTP on 80, routes
/// from every namespace) and 1,000 HTTPRoutes, one hostname each (<c>h{i}.example</c>), with PathPrefix <c>/</c>,
/// PathPrefix <c>/api</c>, Exact <c>/api/health</c> and a header-matched <c>/api</c>, each to its own Service of the
/// synthetic cluster, plus one route for <c>*.wild.example</c>.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class GatewayRouterBenchmarks
{
    private const int Routes = 1000;

    private static readonly GatewayRequest Api = new() { Host = "h537.example", Path = "/api/items/42" };
    private static readonly GatewayRequest Health = new() { Host = "H537.example:80", Path = "/api/health" };
    private static readonly GatewayRequest Wild = new() { Host = "a.b.wild.example", Path = "/x" };
    private static readonly GatewayRequest Unknown = new() { Host = "nobody.example", Path = "/" };

    private ClusterState _cluster = null!;
    private GatewayRouteTable _table = null!;

    [GlobalSetup]
    public void Setup()
    {
        var yaml = SyntheticCluster.Yaml(services: Routes, podsPerService: 2, namespaces: 10) + GatewayYaml();
        var (manifests, _) = ManifestLoader.Load([new ManifestSource("bench.yaml", yaml)]);
        _cluster = ClusterPlanner.Plan(manifests, ClusterConfig.Default with { NodeCount = 10 }).Cluster
            ?? throw new InvalidOperationException("the synthetic cluster did not plan");
        _table = GatewayController.Build(_cluster).Tables["ns-0/edge"];
        if (_table.Match(Api) is not { Status: 200, Route: "ns-7/route-537" } || _table.Match(Unknown).Status != 404)
        {
            throw new InvalidOperationException("the routes did not route as expected: " + _table.Match(Api).Reason);
        }
    }

    [Benchmark(Description = "compile the tables (1,001 HTTPRoutes)")]
    public GatewayPlan Compile() => GatewayController.Build(_cluster);

    [Benchmark(Description = "lookup: exact host, PathPrefix /api")]
    public GatewayDecision ExactHostPrefix() => _table.Match(Api);

    [Benchmark(Description = "lookup: Host with port and capitals, Exact path")]
    public GatewayDecision ExactPath() => _table.Match(Health);

    [Benchmark(Description = "lookup: wildcard host, two labels")]
    public GatewayDecision Wildcard() => _table.Match(Wild);

    [Benchmark(Description = "lookup: no match (404)")]
    public GatewayDecision NoMatch() => _table.Match(Unknown);

    private static string GatewayYaml()
    {
        var text = new StringBuilder("\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: maille}\nspec: {controllerName: maille.dev/gateway-controller}\n");
        text.Append("---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: edge, namespace: ns-0}\nspec:\n  gatewayClassName: maille\n  listeners: [{name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}]\n");
        for (var i = 0; i < Routes; i++)
        {
            var backend = $"[{{name: app-{i}, port: 80}}]";
            text.Append(CultureInfo.InvariantCulture, $"""
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {"{"}name: route-{i}, namespace: ns-{i % 10}{"}"}
                spec:
                  parentRefs: [{"{"}name: edge, namespace: ns-0{"}"}]
                  hostnames: [h{i}.example]
                  rules:
                  - {"{"}matches: [{"{"}path: {"{"}type: PathPrefix, value: /{"}"}{"}"}], backendRefs: {backend}{"}"}
                  - {"{"}matches: [{"{"}path: {"{"}type: PathPrefix, value: /api{"}"}{"}"}], backendRefs: {backend}{"}"}
                  - {"{"}matches: [{"{"}path: {"{"}type: Exact, value: /api/health{"}"}{"}"}], backendRefs: {backend}{"}"}
                  - {"{"}matches: [{"{"}path: {"{"}type: PathPrefix, value: /api{"}"}, headers: [{"{"}name: x-canary, value: "1"{"}"}]{"}"}], backendRefs: {backend}{"}"}

                """);
        }

        text.Append("---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: wild, namespace: ns-0}\nspec:\n  parentRefs: [{name: edge}]\n  hostnames: [\"*.wild.example\"]\n  rules: [{backendRefs: [{name: app-0, port: 80}]}]\n");
        return text.ToString();
    }
}
