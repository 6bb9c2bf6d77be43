using Maille.Model;
using Maille.TestKit;
using static Maille.TestKit.AuthorizationPolicyBuilder;
using static Maille.TestKit.PeerAuthenticationBuilder;

namespace Maille.Kube.Tests.Validation;

/// <summary>
/// Istio's AuthorizationPolicy and PeerAuthentication as read: the model a valid manifest gives, the warnings Istio
/// itself gives for what ambient's node proxy ignores, and a set with one invalid mesh object refused whole.
/// The error lines themselves are golden cases (testassets/validation/mesh-*).
/// </summary>
public sealed class MeshValidationTests
{
    [Fact]
    public void A_valid_AuthorizationPolicy_loads_with_its_action_selector_and_rules_in_order()
    {
        var policy = Deny("shop", "p").Selecting(("app", "web"))
            .Rule(from: [Source(("principals", ["cluster.local/ns/a/sa/b"]), ("notIpBlocks", ["198.18.0.0/15"]))], to: [Operation("ports", "80", "8080")])
            .Rule(to: [Operation("notPorts", "9090")])
            .Build();

        Assert.Equal((AuthorizationAction.Deny, "shop/p"), (policy.Action, policy.QualifiedName));
        Assert.Equal("web", policy.Selector!["app"]);
        Assert.Equal([80, 8080], policy.Rules[0].To[0].Ports);
        Assert.Equal(["198.18.0.0/15"], policy.Rules[0].From[0].NotIpBlocks);
        Assert.Equal([9090], policy.Rules[1].To[0].NotPorts);
    }

    [Fact]
    public void The_action_defaults_to_ALLOW_and_an_empty_selector_means_the_whole_namespace()
    {
        var policy = Allow("shop", "p").With("action", null).With("selector", new System.Text.Json.Nodes.JsonObject()).Build();

        Assert.Equal(AuthorizationAction.Allow, policy.Action);
        Assert.Null(policy.Selector);
    }

    [Fact]
    public void HTTP_attributes_get_istios_warning_for_the_node_proxy_which_does_not_see_them()
    {
        var allow = Cluster.Plan(Allow("shop", "get").Rule(to: [Operation("methods", "GET")]).Yaml());
        var deny = Cluster.Plan(Deny("shop", "post").Rule(to: [Operation(("paths", ["/admin"]), ("methods", ["POST"]))]).Yaml());

        Assert.True(allow.Succeeded);
        Assert.Contains(allow.Warnings, w => w.ToString().Contains("spec.rules: the node proxy does not see HTTP attributes (found: methods)", StringComparison.Ordinal)
            && w.ToString().Contains("rules with HTTP attributes never match", StringComparison.Ordinal));
        Assert.Contains(deny.Warnings, w => w.ToString().Contains("(found: methods, paths)", StringComparison.Ordinal)
            && w.ToString().Contains("enforced without its HTTP attributes", StringComparison.Ordinal));
    }

    [Fact]
    public void A_policy_attached_to_a_waypoint_or_Service_loads_its_targets_and_gets_no_node_proxy_warning()
    {
        var yaml = Allow("shop", "get").Targeting("Gateway", "waypoint").Targeting("Service", "reviews").Rule(to: [Operation("methods", "GET")]).Yaml();

        var result = Cluster.Plan(yaml);

        Assert.True(result.Succeeded);
        Assert.Empty(result.Warnings);
        var policy = Assert.Single(result.Cluster!.AuthorizationPolicies);
        Assert.Equal([new PolicyTargetRef(GatewayApi.Group, "Gateway", "waypoint"), new PolicyTargetRef("", "Service", "reviews")], policy.TargetRefs);
        Assert.True(policy.AtWaypoint);
    }

    [Theory]
    [InlineData("workload", "Maille models the waypoint of Services only: traffic addressed to a pod does not go through this waypoint, and no Service's does either")]
    [InlineData("all", "Maille models the waypoint of Services only: traffic addressed to a pod does not go through this waypoint")]
    public void A_waypoint_for_workloads_gets_a_warning_that_Maille_models_Service_traffic_only(string waypointFor, string warning)
    {
        var result = Cluster.Plan("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: waypoint, namespace: shop, labels: {istio.io/waypoint-for: FOR}}
            spec: {gatewayClassName: istio-waypoint, listeners: [{name: mesh, port: 15008, protocol: HBONE}]}
            """.Replace("FOR", waypointFor, StringComparison.Ordinal));

        Assert.True(result.Succeeded);
        Assert.EndsWith("metadata.labels[istio.io/waypoint-for]: " + warning, Assert.Single(result.Warnings).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_route_with_retries_is_read_into_the_model_with_a_warning_that_the_standard_CRDs_have_none()
    {
        var result = Cluster.Plan("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: reviews, namespace: shop}
            spec:
              parentRefs: [{group: "", kind: Service, name: reviews}]
              rules: [{backendRefs: [{name: reviews, port: 9080}], retry: {codes: [503], attempts: 3, backoff: 100ms}}]
            """);

        Assert.True(result.Succeeded);
        Assert.EndsWith("spec.rules[0].retry: retries (GEP-1731) are in the Gateway API's experimental channel: Maille's Gateway proxy and waypoints carry them out, but the standard CRDs (and a lab's API) do not have the field",
            Assert.Single(result.Warnings).ToString(), StringComparison.Ordinal);
        var retry = Assert.Single(result.Cluster!.HttpRoutes).Rules[0].Retry;
        Assert.Equal(new HttpRouteRetry { Codes = new([503]), Attempts = 3, Backoff = "100ms" }, retry);
    }

    [Theory]
    [InlineData("{codes: [399]}", "spec.rules[0].retry.codes[0]: Invalid value: 399: spec.rules[0].retry.codes[0] in body should be greater than or equal to 400")]
    [InlineData("{codes: [600]}", "spec.rules[0].retry.codes[0]: Invalid value: 600: spec.rules[0].retry.codes[0] in body should be less than or equal to 599")]
    [InlineData("{attempts: -1}", "spec.rules[0].retry.attempts: Invalid value: -1: spec.rules[0].retry.attempts in body should be greater than or equal to 0")]
    [InlineData("{backoff: 1x}", "spec.rules[0].retry.backoff: Invalid value: \"1x\"")]
    public void A_retry_outside_the_experimental_CRDs_schema_is_refused_naming_the_field(string retry, string error)
    {
        var errors = Cluster.Errors($$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: reviews, namespace: shop}
            spec:
              parentRefs: [{group: "", kind: Service, name: reviews}]
              rules: [{backendRefs: [{name: reviews, port: 9080}], retry: {{retry}}}]
            """);

        Assert.Contains(errors, e => e.Contains("HTTPRoute shop/reviews", StringComparison.Ordinal) && e.Contains(error, StringComparison.Ordinal));
    }

    [Fact]
    public void A_valid_PeerAuthentication_loads_its_mode_and_port_modes()
    {
        var peer = Workload("shop", "api", "STRICT", ("app", "api")).Port(9090, "PERMISSIVE").Port(80, "UNSET").Build();

        Assert.Equal(MtlsMode.Strict, peer.Mode);
        Assert.Equal([new PortMtls(80, MtlsMode.Unset), new PortMtls(9090, MtlsMode.Permissive)], peer.PortLevel);
        Assert.Null(MeshWide("PERMISSIVE").Build().Selector);
    }

    [Fact]
    public void DISABLE_and_a_selector_in_the_root_namespace_are_accepted_with_a_warning_that_ambient_ignores_them()
    {
        var disable = Cluster.Plan(Namespace("shop", "DISABLE").Yaml());
        var rootSelector = Cluster.Plan(Workload("istio-system", "p", "STRICT", ("app", "x")).Yaml());

        Assert.True(disable.Succeeded);
        Assert.Contains(disable.Warnings, w => w.ToString().Contains("DISABLE has no effect in ambient mode", StringComparison.Ordinal));
        Assert.Contains(rootSelector.Warnings, w => w.ToString().Contains("is ignored by the node proxies", StringComparison.Ordinal));
    }

    [Fact]
    public void A_set_with_one_invalid_mesh_object_is_refused_whole_with_file_line_object_and_field()
    {
        var yaml = MeshWide("STRICT").Yaml() + "---\n" + Allow("shop", "bad").Rule(to: [Operation("ports", "http")]).Yaml();

        var result = Cluster.Plan(yaml, file: "mesh.yaml");

        Assert.False(result.Succeeded);
        Assert.Null(result.Cluster);
        var error = Assert.Single(result.Errors).ToString();
        Assert.Matches(@"^mesh\.yaml:\d+: AuthorizationPolicy shop/bad: spec\.rules\[0\]\.to\[0\]\.operation\.ports\[0\]: Invalid value: ""http"": invalid port", error);
    }

    [Fact]
    public void Two_AuthorizationPolicies_of_one_name_in_a_namespace_are_a_duplicate()
    {
        var yaml = Allow("shop", "p").Rule().Yaml() + "---\n" + Deny("shop", "p").Rule().Yaml();

        Assert.Contains(Cluster.Errors(yaml), e => e.Contains("AuthorizationPolicy shop/p", StringComparison.Ordinal) && e.Contains("Duplicate value", StringComparison.Ordinal));
    }
}
