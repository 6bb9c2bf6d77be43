using Maille.Engine.Analysis;
using Maille.Engine.Trace;
using static Maille.TestKit.AuthorizationPolicyBuilder;
using static Maille.TestKit.PeerAuthenticationBuilder;

namespace Maille.Engine.Tests.Mesh;

/// <summary>
/// NetworkPolicy and the mesh together (docs/mesh.md): NetworkPolicy decides first and sees meshed traffic as the
/// kernel does, HBONE from the source pod to the destination pod's TCP 15008; plaintext into the mesh keeps its own
/// port; the mesh then decides on the application port. The matrix marks mesh denials <c>M</c>, the trace shows the
/// mesh hops, and <c>analyze</c> reports a NetworkPolicy that drops 15008 between meshed pods.
/// </summary>
public sealed class MeshNetworkPolicyTests
{
    /// <summary>Istio's example of a policy that blocks HBONE: ingress to back/api admitted on 8080 only.</summary>
    private const string ApiOn8080Only = """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: api-8080, namespace: back}
        spec:
          podSelector: {matchLabels: {app: api}}
          ingress: [{ports: [{port: 8080, protocol: TCP}]}]
        """;

    private const string ApiOn8080AndHbone = """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: api-8080, namespace: back}
        spec:
          podSelector: {matchLabels: {app: api}}
          ingress: [{ports: [{port: 8080, protocol: TCP}, {port: 15008, protocol: TCP}]}]
        """;

    [Fact]
    public void A_NetworkPolicy_allowing_only_the_application_port_drops_meshed_traffic_but_not_plaintext()
    {
        var world = MeshWorld.With(ApiOn8080Only);

        Assert.Equal("X", world.Cell("front/web", "back/api", 8080));
        Assert.Equal(".", world.Cell("outside/client", "back/api", 8080));
        Assert.Equal(".", world.Cell("back/legacy", "back/api", 8080));
        var matrix = world.Matrix(8080);
        var rows = matrix.Pods.Select(p => p.QualifiedName).ToList();
        Assert.Equal(15008, matrix.NetworkPolicyPort(0, rows.IndexOf("front/web"), rows.IndexOf("back/api")).Port);
    }

    [Fact]
    public void With_15008_allowed_too_the_mesh_decides_on_the_application_port()
    {
        var world = MeshWorld.With(ApiOn8080AndHbone, Allow("back", "only-admin").Selecting(("app", "api")).Rule(from: [Source("principals", "cluster.local/ns/front/sa/admin")]));

        Assert.Equal("M", world.Cell("front/web", "back/api", 8080));
        Assert.Equal(".", world.Cell("front/admin", "back/api", 8080));

        // NetworkPolicy sees only 15008 between meshed pods: it no longer tells their application ports apart (an
        // AuthorizationPolicy's ports do), while plaintext from outside the mesh is still held to 8080.
        Assert.Equal(".", world.Cell("front/admin", "back/api", 9090));
        Assert.Equal("X", world.Cell("outside/client", "back/api", 9090));
    }

    [Fact]
    public void NetworkPolicy_decides_before_the_mesh_so_a_cell_both_deny_is_X()
    {
        var world = MeshWorld.With(ApiOn8080Only, MeshWide("STRICT"));

        Assert.Equal("X", world.Cell("outside/client", "back/api", 9090));
        Assert.Equal("M", world.Cell("outside/client", "back/api", 8080));
        var matrix = world.Matrix(9090);
        var rows = matrix.Pods.Select(p => p.QualifiedName).ToList();
        Assert.Null(matrix.Mesh(0, rows.IndexOf("outside/client"), rows.IndexOf("back/api")));
    }

    [Fact]
    public void Without_meshed_pods_the_matrix_is_NetworkPolicys_alone()
    {
        var world = MeshWorld.With(ApiOn8080Only);
        var plain = Engine.NetworkPolicies.ReachabilityMatrix.Compute(world.Policy, world.Cluster.Pods, [new(8080, Model.Protocol.TCP)]);

        Assert.False(plain.HasMesh);
        Assert.True(world.Matrix(8080).HasMesh);
        var rows = plain.Pods.Select(p => p.QualifiedName).ToList();
        Assert.True(plain.IsAllowed(0, rows.IndexOf("front/web"), rows.IndexOf("back/api")));
    }

    [Fact]
    public void The_trace_shows_the_source_proxy_HBONE_to_15008_and_the_destination_proxy_with_the_deciding_rule()
    {
        var world = MeshWorld.With(ApiOn8080AndHbone, Allow("back", "only-admin").Selecting(("app", "api")).Rule(from: [Source("principals", "cluster.local/ns/front/sa/admin")]));

        var denied = world.Trace("front/web", "back/api:8080");
        Assert.Equal(TraceResult.Denied, denied.Verdict);
        Assert.Equal("mesh authorization denies the connection", denied.Reason);
        Assert.Equal(["node", "mesh-source", "hbone", "egress-policy", "ingress-policy", "mesh-destination", "delivery"], denied.Hops.Select(h => h.Stage));
        Assert.Contains(":15008", denied.Hops.Single(h => h.Stage == "hbone").Detail, StringComparison.Ordinal);
        Assert.Contains("15008/TCP (HBONE)", denied.Hops.Single(h => h.Stage == "ingress-policy").Detail, StringComparison.Ordinal);
        Assert.Equal("back/api-8080 ingress rule 0 any peer port 1", denied.Hops.Single(h => h.Stage == "ingress-policy").Rule);

        var allowed = world.Trace("front/admin", "back/api:8080");
        var proxy = allowed.Hops.Single(h => h.Stage == "mesh-destination");
        Assert.Equal(("allowed", "AuthorizationPolicy back/only-admin rule 0 (ALLOW)"), (proxy.Result, proxy.Rule));
        Assert.True(proxy.Mesh!.Mtls);
        Assert.Equal(TraceResult.Allowed, allowed.Verdict);
    }

    [Fact]
    public void The_trace_of_plaintext_into_a_STRICT_workload_says_the_proxy_refused_it()
    {
        var trace = MeshWorld.With(MeshWide("STRICT")).Trace("outside/client", "back/api:8080");

        Assert.Equal(TraceResult.Denied, trace.Verdict);
        Assert.DoesNotContain(trace.Hops, h => h.Stage is "mesh-source" or "hbone");
        Assert.Equal("denied", trace.Hops.Single(h => h.Stage == "mesh-destination").Result);
        Assert.Contains("plaintext refused (STRICT)", trace.Hops.Single(h => h.Stage == "delivery").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_meshed_client_reaching_a_pod_outside_the_mesh_passes_through_as_plaintext()
    {
        var trace = MeshWorld.With().Trace("front/web", "back/legacy:8080");

        Assert.Equal("passthrough", trace.Hops.Single(h => h.Stage == "mesh-source").Result);
        Assert.DoesNotContain(trace.Hops, h => h.Stage == "mesh-destination");
        Assert.Equal(TraceResult.Allowed, trace.Verdict);
    }

    [Fact]
    public void Analyze_reports_a_NetworkPolicy_that_drops_15008_between_meshed_pods()
    {
        var blocked = MeshWorld.With(ApiOn8080Only);
        var finding = Assert.Single(MeshFindings.For(blocked.Cluster, blocked.Policy));

        Assert.Equal(("MeshHboneBlocked", "NetworkPolicy back/api-8080"), (finding.Code, finding.Object.ToString()));
        Assert.Contains("allows 8080/TCP", finding.Message, StringComparison.Ordinal);

        var open = MeshWorld.With(ApiOn8080AndHbone);
        Assert.Empty(MeshFindings.For(open.Cluster, open.Policy));
    }
}
