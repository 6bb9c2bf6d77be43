using Maille.Engine.Ingresses;
using Maille.TestKit;

namespace Maille.Engine.Tests.Ingress;

/// <summary>
/// <c>status.loadBalancer.ingress</c> of Ingresses: Maille's controller publishes its LoadBalancer Service's address on
/// every Ingress it serves, and leaves every other Ingress's status as the input gave it.
/// </summary>
public sealed class IngressStatusTests
{
    private const string Controller = """
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: maille-ingress, namespace: maille-system, labels: {app.kubernetes.io/name: maille-ingress}}
        spec:
          type: LoadBalancer
          selector: {app.kubernetes.io/name: maille-ingress}
          ports: [{name: http, port: 80}, {name: https, port: 443}]

        """;

    private static string Theirs(string address) => """
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: theirs, namespace: app, annotations: {kubernetes.io/ingress.class: nginx}}
        spec: {defaultBackend: {service: {name: web, port: {number: 80}}}}

        """ + $"status:\n  loadBalancer:\n    ingress: [{{ip: {address}}}]\n";

    private static string WithStatus(string ingress, string address) =>
        ingress + $"status:\n  loadBalancer:\n    ingress: [{{ip: {address}}}]\n";

    private static string[] StatusOf(ClusterState cluster, string name) =>
        [.. cluster.Ingresses.Single(i => i.Meta.Name == name).LoadBalancerIngress];

    [Fact]
    public void Every_served_Ingress_shows_the_controller_Service_s_LoadBalancer_address_and_others_keep_their_own()
    {
        var cluster = Cluster.Valid(IngressYaml.Base + Controller
            + IngressYaml.Paths("shop", "shop.example", "Prefix /")
            + IngressYaml.Paths("blog", "blog.example", "Exact /feed")
            + Theirs("203.0.113.7"));
        var address = cluster.ServicesByName["maille-system/maille-ingress"].LoadBalancerIngress.Single();

        Assert.StartsWith("198.18.0.", address, StringComparison.Ordinal);
        Assert.Equal([address], StatusOf(cluster, "shop"));
        Assert.Equal([address], StatusOf(cluster, "blog"));
        Assert.Equal(["203.0.113.7"], StatusOf(cluster, "theirs"));
        Assert.Equal([address], IngressRouteTable.Build(cluster).ControllerAddresses);
    }

    [Fact]
    public void A_status_written_by_someone_else_is_replaced_on_a_served_Ingress()
    {
        var cluster = Cluster.Valid(IngressYaml.Base + Controller + WithStatus(IngressYaml.Paths("shop", "shop.example", "Prefix /"), "192.0.2.1"));

        Assert.Equal([.. cluster.ServicesByName["maille-system/maille-ingress"].LoadBalancerIngress], StatusOf(cluster, "shop"));
    }

    [Fact]
    public void Without_the_controller_Service_no_status_is_written_and_the_input_s_is_kept()
    {
        var cluster = Cluster.Valid(IngressYaml.Base
            + WithStatus(IngressYaml.Paths("dumped", "shop.example", "Prefix /"), "192.0.2.1")
            + IngressYaml.Paths("fresh", "blog.example", "Prefix /"));

        Assert.Equal(["192.0.2.1"], StatusOf(cluster, "dumped"));
        Assert.Empty(StatusOf(cluster, "fresh"));
    }

    [Fact]
    public void While_the_controller_Service_has_no_address_served_Ingresses_show_none()
    {
        const string OnePool = """
            ---
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {name: one, namespace: metallb-system}
            spec: {addresses: [198.18.0.200/32]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: a-first, namespace: app}
            spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}

            """;
        var cluster = Cluster.Valid(IngressYaml.Base + OnePool + Controller
            + WithStatus(IngressYaml.Paths("shop", "shop.example", "Prefix /"), "192.0.2.1"));

        Assert.Empty(cluster.ServicesByName["maille-system/maille-ingress"].LoadBalancerIngress);
        Assert.Empty(StatusOf(cluster, "shop"));
        Assert.Empty(IngressRouteTable.Build(cluster).ControllerAddresses);
    }

    [Fact]
    public void The_address_follows_the_controller_Service_when_planned_again()
    {
        var yaml = IngressYaml.Base + Controller + IngressYaml.Paths("shop", "shop.example", "Prefix /");
        var first = Cluster.Valid(yaml);
        var again = Cluster.Replan(yaml, first);

        Assert.True(again.Succeeded);
        Assert.Equal(StatusOf(first, "shop"), StatusOf(again.Cluster!, "shop"));
    }
}
