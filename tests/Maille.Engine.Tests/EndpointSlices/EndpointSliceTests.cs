using Maille.Model;
using Maille.TestKit;

namespace Maille.Engine.Tests.EndpointSlices;

// IP plan: pods on node-1 (198.19.1.0/24) unless stated; the Service selects app=web.
public sealed class EndpointSliceTests
{
    private static string Pod(string name, string ports, string extra = "", string status = "") => $$"""
        apiVersion: v1
        kind: Pod
        metadata: {name: {{name}}, labels: {app: web}{{extra}}}
        spec:
          nodeName: node-1
          containers: [{name: c, ports: {{ports}}}]
        {{status}}
        ---

        """;

    private const string NamedService = """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [{name: http, port: 80, targetPort: http}]
        """;

    [Fact]
    public void A_named_target_port_resolves_per_pod_and_groups_endpoints_by_port()
    {
        var cluster = Cluster.Valid(
            Pod("a", "[{name: http, containerPort: 8080}]") +
            Pod("b", "[{name: http, containerPort: 9090}]") +
            Pod("c", "[{name: other, containerPort: 7070}]") + NamedService);
        var slices = cluster.SlicesFor(cluster.ServicesByName["default/web"]);
        Assert.Equal(2, slices.Count);
        var byPort = slices.ToDictionary(s => s.Ports.Single().Port!.Value, s => s.Endpoints.Single().TargetPod);
        Assert.Equal("default/a", byPort[8080]);
        Assert.Equal("default/b", byPort[9090]);
        Assert.All(slices, s => Assert.Equal("web", s.Meta.Labels.Get("kubernetes.io/service-name")));
    }

    [Fact]
    public void Conditions_follow_readiness_and_termination()
    {
        var cluster = Cluster.Valid(
            Pod("ready", "[{containerPort: 80}]") +
            Pod("unready", "[{containerPort: 80}]", status: "status: {conditions: [{type: Ready, status: \"False\"}]}") +
            "apiVersion: v1\nkind: Pod\nmetadata: {name: leaving, labels: {app: web}, deletionTimestamp: \"2026-01-01T00:00:00Z\"}\nspec: {nodeName: node-1, containers: [{name: c, ports: [{containerPort: 80}]}]}\n---\n" +
            "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n");
        var endpoints = cluster.SlicesFor(cluster.ServicesByName["default/web"]).SelectMany(s => s.Endpoints).ToDictionary(e => e.TargetPod!);
        Assert.Equal(new EndpointConditions(true, true, false), endpoints["default/ready"].Conditions);
        Assert.Equal(new EndpointConditions(false, false, false), endpoints["default/unready"].Conditions);
        Assert.Equal(new EndpointConditions(false, true, true), endpoints["default/leaving"].Conditions);
    }

    [Fact]
    public void Publish_not_ready_addresses_marks_every_endpoint_ready()
    {
        var cluster = Cluster.Valid(
            Pod("unready", "[{containerPort: 80}]", status: "status: {conditions: [{type: Ready, status: \"False\"}]}") +
            "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {publishNotReadyAddresses: true, selector: {app: web}, ports: [{port: 80}]}\n");
        var endpoint = cluster.SlicesFor(cluster.ServicesByName["default/web"]).Single().Endpoints.Single();
        Assert.True(endpoint.Conditions.Ready);
        Assert.False(endpoint.Conditions.Serving);
    }

    [Fact]
    public void More_than_one_hundred_endpoints_are_split_into_several_slices()
    {
        var yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 230
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec: {selector: {app: web}, ports: [{port: 80}]}
            """;
        var cluster = Cluster.Valid(yaml);
        var slices = cluster.SlicesFor(cluster.ServicesByName["default/web"]);
        Assert.Equal([100, 100, 30], slices.Select(s => s.Endpoints.Count).OrderDescending());
        Assert.Equal(230, slices.SelectMany(s => s.Endpoints).Select(e => e.Addresses[0]).Distinct().Count());
    }

    [Fact]
    public void A_selectorless_service_uses_the_endpoint_slices_it_is_given()
    {
        var cluster = Cluster.Valid("""
            apiVersion: v1
            kind: Service
            metadata: {name: legacy}
            spec: {ports: [{name: https, port: 443}]}
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: legacy-1, labels: {kubernetes.io/service-name: legacy}}
            addressType: IPv4
            ports: [{name: https, port: 443}]
            endpoints: [{addresses: [198.18.0.99]}]
            """);
        var slice = Assert.Single(cluster.SlicesFor(cluster.ServicesByName["default/legacy"]));
        Assert.True(slice.UserProvided);
        Assert.Equal("198.18.0.99", slice.Endpoints.Single().Addresses.Single());
    }

    [Fact]
    public void A_service_selecting_nothing_has_one_empty_placeholder_slice()
    {
        var cluster = Cluster.Valid("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: none}, ports: [{port: 80}]}\n");
        var slice = Assert.Single(cluster.SlicesFor(cluster.ServicesByName["default/web"]));
        Assert.Empty(slice.Endpoints);
    }

    [Fact]
    public void Pods_of_other_namespaces_are_never_endpoints()
    {
        var cluster = Cluster.Valid(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: far, namespace: other, labels: {app: web}}\nspec: {containers: [{name: c}]}\n---\n" +
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n---\n" +
            "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n");
        Assert.Empty(cluster.SlicesFor(cluster.ServicesByName["default/web"]).SelectMany(s => s.Endpoints));
    }
}
