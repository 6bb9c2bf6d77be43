using System.Text.Json;
using System.Text.Json.Nodes;
using Maille.Kube;
using Maille.TestKit;

namespace Maille.Engine.Tests.Gateway;

/// <summary>
/// Checks a <see cref="ConformanceCase"/> on the engine: each probe through the route table of its Gateway, and each
/// expected status on the objects as the lab's API would show them (<see cref="GatewayObjectWriter"/> of the plan).
/// A draw by weight is checked exactly: the engine's draws 0..99 give each backend its share of 100. A two-step case's
/// second statuses are checked on the plan of the world after its change.
/// </summary>
internal static class EngineConformance
{
    public static void Check(ConformanceCase test)
    {
        var cluster = test.World().Cluster();
        var plan = Engine.Gateways.GatewayController.Build(cluster);
        foreach (var probe in test.Probes)
        {
            var table = plan.Tables[$"{GatewayWorld.Infra}/{probe.Gateway}"];
            if (probe.Weights is { } weights)
            {
                var counts = Enumerable.Range(0, 100).Select(draw => table.Outcome(probe.Request, draw)).GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count());
                var total = weights.Sum(w => w.Weight);
                Assert.Equal(
                    weights.Where(w => w.Weight > 0).ToDictionary(w => w.Backend, w => w.Weight * 100 / total),
                    counts);
                continue;
            }

            var decision = table.Match(probe.Request);
            Assert.True(probe.Expected == table.Outcome(probe.Request), $"{probe}: expected {probe.Expected}, the engine says {table.Outcome(probe.Request)} ({decision.Reason})");
            Assert.Equal(probe.Location, decision.Location);
            if (probe.BackendHeaders.Count > 0)
            {
                var sent = HeadersAtTheBackend(probe.Request, decision);
                Assert.True(probe.HeadersMismatch(sent) is null, $"{probe}: {probe.HeadersMismatch(sent)}");
            }
        }

        CheckStatuses(test.Statuses, cluster, plan, "");
        if (test.Change is not null)
        {
            var changed = test.ChangedWorld().Cluster();
            CheckStatuses(test.ChangedStatuses, changed, Engine.Gateways.GatewayController.Build(changed), "after the change: ");
        }
    }

    private static void CheckStatuses(IEnumerable<ExpectedStatus> statuses, ClusterState cluster, Engine.Gateways.GatewayPlan plan, string step)
    {
        foreach (var expected in statuses)
        {
            var shown = Shown(cluster, plan, expected.Kind, expected.QualifiedName);
            Assert.True(expected.Holds(shown), $"{step}{expected}: the engine says {expected.Actual(shown) ?? "nothing"}");
        }
    }

    /// <summary>
    /// The request's headers once the decision's RequestHeaderModifiers are applied in order, as the Gateway API defines
    /// them (set replaces, add appends to what is there, remove drops; names without case): the reference the live
    /// proxy's answers are held to.
    /// </summary>
    private static Dictionary<string, string> HeadersAtTheBackend(Engine.Gateways.GatewayRequest request, Engine.Gateways.GatewayDecision decision)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in request.Headers)
        {
            headers[name] = headers.TryGetValue(name, out var before) ? $"{before},{value}" : value;
        }

        foreach (var modifier in decision.Filters.Select(f => f.RequestHeaderModifier).OfType<Model.HttpHeaderModifier>())
        {
            foreach (var set in modifier.Set)
            {
                headers[set.Name] = set.Value;
            }

            foreach (var add in modifier.Add)
            {
                headers[add.Name] = headers.TryGetValue(add.Name, out var before) ? $"{before},{add.Value}" : add.Value;
            }

            foreach (var remove in modifier.Remove)
            {
                headers.Remove(remove);
            }
        }

        return headers;
    }

    private static JsonNode Shown(ClusterState cluster, Engine.Gateways.GatewayPlan plan, string kind, string qualifiedName) => JsonSerializer.SerializeToNode(kind switch
    {
        "GatewayClass" => GatewayObjectWriter.Write(cluster.GatewayClasses.Single(c => c.Name == qualifiedName), plan),
        "Gateway" => GatewayObjectWriter.Write(cluster.Gateways.Single(g => g.Meta.QualifiedName == qualifiedName), plan),
        "HTTPRoute" => GatewayObjectWriter.Write(cluster.HttpRoutes.Single(r => r.Meta.QualifiedName == qualifiedName), plan),
        "GRPCRoute" => GatewayObjectWriter.Write(cluster.GrpcRoutes.Single(r => r.Meta.QualifiedName == qualifiedName), plan),
        _ => throw new ArgumentException($"no status of kind {kind}", nameof(kind)),
    })!;
}
