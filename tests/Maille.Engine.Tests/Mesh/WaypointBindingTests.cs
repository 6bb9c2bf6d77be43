using Maille.Engine.Gateways;
using Maille.Model;

namespace Maille.Engine.Tests.Mesh;

/// <summary>Which Gateways are waypoints, which waypoint a Service uses (istio.io/use-waypoint), and the waypoint's status.</summary>
public sealed class WaypointBindingTests
{
    private const string OtherWaypoint = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: other, namespace: shop}
        spec: {gatewayClassName: istio-waypoint, listeners: [{name: mesh, port: 15008, protocol: HBONE}]}
        """;

    [Fact]
    public void The_namespace_label_binds_its_Services_to_the_waypoint_without_a_declared_GatewayClass()
    {
        var binding = WaypointWorld.Apps().Binding("shop/reviews");

        Assert.Equal("shop/waypoint", binding.Waypoint?.QualifiedName);
        Assert.Equal("namespace shop's label istio.io/use-waypoint=waypoint", binding.Reason);
        Assert.Equal("spiffe://cluster.local/ns/shop/sa/waypoint", binding.Waypoint!.Identity);
    }

    [Fact]
    public void A_Service_labelled_none_opts_out_of_its_namespace_waypoint()
    {
        var binding = WaypointWorld.Apps().Binding("shop/ratings");

        Assert.False(binding.Bound);
        Assert.Contains("istio.io/use-waypoint=none opts it out", binding.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_Service_label_wins_over_the_namespace_label()
    {
        var world = WaypointWorld.Apps(OtherWaypoint, """
            apiVersion: v1
            kind: Service
            metadata: {name: special, namespace: shop, labels: {istio.io/use-waypoint: other}}
            spec: {selector: {app: reviews}, ports: [{port: 9080}]}
            """);

        Assert.Equal("shop/other", world.Binding("shop/special").Waypoint?.QualifiedName);
        Assert.Equal("shop/waypoint", world.Binding("shop/reviews").Waypoint?.QualifiedName);
    }

    [Fact]
    public void The_service_account_annotation_renames_the_waypoint_identity()
    {
        var world = WaypointWorld.Apps(OtherWaypoint.Replace("{name: other, namespace: shop}", "{name: other, namespace: shop, annotations: {gateway.istio.io/service-account: wp-sa}}", StringComparison.Ordinal));

        Assert.Equal("spiffe://cluster.local/ns/shop/sa/wp-sa", world.Router.Waypoints.Find("shop/other")!.Identity);
    }

    [Theory]
    [InlineData("Same", false)]
    [InlineData("All", true)]
    public void A_waypoint_of_another_namespace_serves_a_Service_only_when_its_listener_admits_the_namespace(string from, bool bound)
    {
        var world = WaypointWorld.Apps("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: shared, namespace: shop}
            spec: {gatewayClassName: istio-waypoint, listeners: [{name: mesh, port: 15008, protocol: HBONE, allowedRoutes: {namespaces: {from: FROM}}}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: front, labels: {istio.io/use-waypoint: shared, istio.io/use-waypoint-namespace: shop}}
            spec: {selector: {app: web}, ports: [{port: 9080}]}
            """.Replace("FROM", from, StringComparison.Ordinal));

        var binding = world.Binding("front/web");

        Assert.Equal(bound, binding.Bound);
        Assert.Equal("shop/shared", binding.Requested);
        if (!bound)
        {
            Assert.Contains("does not admit namespace front (allowedRoutes from Same)", binding.Reason, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("workload", false)]
    [InlineData("none", false)]
    [InlineData("all", true)]
    [InlineData("service", true)]
    public void Only_a_waypoint_for_service_or_all_takes_a_Services_traffic(string waypointFor, bool bound)
    {
        var world = WaypointWorld.Apps(OtherWaypoint.Replace("{name: other, namespace: shop}", $"{{name: other, namespace: shop, labels: {{istio.io/waypoint-for: {waypointFor}}}}}", StringComparison.Ordinal), """
            apiVersion: v1
            kind: Service
            metadata: {name: special, namespace: shop, labels: {istio.io/use-waypoint: other}}
            spec: {selector: {app: reviews}, ports: [{port: 9080}]}
            """);

        Assert.Equal(bound, world.Binding("shop/special").Bound);
    }

    [Fact]
    public void A_label_naming_no_waypoint_leaves_the_Service_unbound_with_the_reason()
    {
        var world = WaypointWorld.Apps("""
            apiVersion: v1
            kind: Service
            metadata: {name: special, namespace: shop, labels: {istio.io/use-waypoint: missing}}
            spec: {selector: {app: reviews}, ports: [{port: 9080}]}
            """);

        var binding = world.Binding("shop/special");

        Assert.Null(binding.Waypoint);
        Assert.Equal("the Service's label istio.io/use-waypoint=missing, but no waypoint Gateway shop/missing: istiod does not bind the Service, whose traffic goes straight to its endpoints", binding.Reason);
    }

    [Fact]
    public void A_declared_istio_waypoint_class_of_another_controller_makes_no_waypoints()
    {
        var world = WaypointWorld.Apps("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: GatewayClass
            metadata: {name: istio-waypoint}
            spec: {controllerName: example.com/not-istio}
            """);

        Assert.Empty(world.Router.Waypoints.All);
        Assert.Contains("is not of class istio-waypoint", world.Binding("shop/reviews").Reason, StringComparison.Ordinal);
        Assert.Null(world.Plan.GatewayStatusOf("shop/waypoint"));
    }

    [Fact]
    public void A_waypoint_is_programmed_as_a_waypoint_and_gets_no_LoadBalancer_Service_nor_proxy_Deployment()
    {
        var world = WaypointWorld.Apps($$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: GatewayClass
            metadata: {name: maille}
            spec: {controllerName: {{GatewayApi.ControllerName}}}
            """);

        var status = world.Plan.GatewayStatusOf("shop/waypoint")!;
        Assert.Equal(new[] { ("Accepted", true), ("Programmed", true) }, status.Conditions.Select(c => (c.Type, c.Status)));
        Assert.Equal("Programmed as a waypoint for service traffic (istio.io/waypoint-for), with the identity spiffe://cluster.local/ns/shop/sa/waypoint", status.Conditions[1].Message);
        Assert.Empty(status.Addresses);
        Assert.Equal("mesh", Assert.Single(status.Listeners).Name);
        Assert.DoesNotContain(world.Cluster.Services, s => s.Meta.Name == GatewayController.ServiceNameOf(world.Cluster.Gateways.Single()));
        var manifests = new ManifestSet { Gateways = new([.. world.Cluster.Gateways]), GatewayClasses = new([.. world.Cluster.GatewayClasses]) };
        Assert.Same(manifests, GatewayProxyManifests.With(manifests));
    }

    [Fact]
    public void A_waypoint_Gateway_without_the_HBONE_listener_is_not_accepted_and_binds_nothing()
    {
        var world = WaypointWorld.Apps(OtherWaypoint.Replace("{name: mesh, port: 15008, protocol: HBONE}", "{name: http, port: 80, protocol: HTTP}", StringComparison.Ordinal), """
            apiVersion: v1
            kind: Service
            metadata: {name: special, namespace: shop, labels: {istio.io/use-waypoint: other}}
            spec: {selector: {app: reviews}, ports: [{port: 9080}]}
            """);

        var status = world.Plan.GatewayStatusOf("shop/other")!;
        Assert.Equal(("Accepted", false, "ListenersNotValid"), (status.Conditions[0].Type, status.Conditions[0].Status, status.Conditions[0].Reason));
        Assert.Equal("UnsupportedProtocol", status.Listeners[0].Conditions[0].Reason);
        Assert.Contains("is not a valid waypoint: a waypoint needs a listener with port 15008 and protocol HBONE", world.Binding("shop/special").Reason, StringComparison.Ordinal);
    }
}
