using Maille.Engine.LoadBalancing;
using Maille.Engine.Trace;
using Maille.TestKit;
using static Maille.Engine.Tests.LoadBalancing.LoadBalancerYaml;

namespace Maille.Engine.Tests.LoadBalancing;

// IP plan: three nodes node-1..3 (198.18.0.11-13); pods web-a on node-1 and web-b on node-2 serve 8080; the external
// client is 198.18.0.2; LoadBalancer addresses from the default pool 198.18.0.200-198.18.0.250.
public sealed class LoadBalancerTraceTests
{
    private const string Pods = """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-a, labels: {app: web}}
        spec: {nodeName: node-1, containers: [{name: c, ports: [{containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-b, labels: {app: web}}
        spec: {nodeName: node-2, containers: [{name: c, ports: [{containerPort: 8080}]}]}
        ---

        """;

    private static (TraceResult Result, ClusterState Cluster) TraceFromOutside(string yaml, string service)
    {
        var cluster = Cluster.Valid(yaml);
        var address = cluster.LoadBalancing.ByService[service].Address!;
        var target = TraceTarget.TryParse($"{address}:80", "cluster.local", out var error) ?? throw new InvalidOperationException(error);
        return (Tracer.For(cluster).Trace(new TraceSource(null, Tracer.DefaultExternalAddress(cluster.Config)), target), cluster);
    }

    [Fact]
    public void From_outside_a_load_balancer_address_enters_at_its_announcing_node_and_is_masqueraded_to_it()
    {
        var (result, cluster) = TraceFromOutside(Pods + Service("web", ports: "[{port: 80, targetPort: 8080}]"), "default/web");

        var announcer = L2AnnouncerElection.Elect(cluster).Single().Node;
        var service = result.Hops.Single(h => h.Stage == "service");
        Assert.Equal(TraceResult.Allowed, result.Verdict);
        Assert.Equal(announcer, service.Node);
        Assert.Contains("masqueraded to the receiving node's address", service.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Under_local_policy_the_announcing_node_serves_from_its_own_endpoint_only()
    {
        var (result, cluster) = TraceFromOutside(Pods + Service("web", ports: "[{port: 80, targetPort: 8080}]", extra: "externalTrafficPolicy: Local"), "default/web");

        var announcer = L2AnnouncerElection.Elect(cluster).Single().Node!;
        Assert.Contains(announcer, new[] { "node-1", "node-2" });
        var endpoint = Assert.Single(result.Endpoints);
        Assert.Equal(announcer == "node-1" ? "default/web-a" : "default/web-b", endpoint.Pod);
    }

    [Fact]
    public void A_client_outside_the_source_ranges_is_dropped_before_any_endpoint_is_chosen()
    {
        var (result, _) = TraceFromOutside(Pods + Service("web", ports: "[{port: 80, targetPort: 8080}]", extra: "loadBalancerSourceRanges: [203.0.113.0/24]"), "default/web");

        Assert.Equal(TraceResult.Unreachable, result.Verdict);
        Assert.Equal("dropped", result.Hops.Single(h => h.Stage == "service").Result);
        Assert.Contains("loadBalancerSourceRanges", result.Reason, StringComparison.Ordinal);
        Assert.Equal(TraceResult.Allowed, TraceFromOutside(Pods + Service("web", ports: "[{port: 80, targetPort: 8080}]", extra: "loadBalancerSourceRanges: [198.18.0.0/28]"), "default/web").Result.Verdict);
    }

    [Fact]
    public void An_address_nobody_announces_is_unreachable_from_outside()
    {
        var (result, _) = TraceFromOutside(Pods + Pool("silent", "[198.18.0.208/29]") + Service("web", ports: "[{port: 80, targetPort: 8080}]"), "default/web");

        Assert.Equal(TraceResult.Unreachable, result.Verdict);
        Assert.StartsWith("LoadBalancer IP 198.18.0.", result.Reason, StringComparison.Ordinal);
        Assert.EndsWith("is not announced on the node network (no L2Advertisement covers pool \"silent\"): nothing answers ARP for it", result.Reason, StringComparison.Ordinal);
    }
}
