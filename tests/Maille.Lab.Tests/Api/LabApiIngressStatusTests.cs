using Maille.Engine.Allocation;
using Maille.Lab.Api;
using Maille.Lab.Labs;
using Maille.Model;

namespace Maille.Lab.Tests.Api;

/// <summary>
/// The lab's API (on a Unix socket, no root needed) shows each Ingress Maille serves with the Ingress controller's
/// LoadBalancer address in <c>status.loadBalancer.ingress</c>, as a cluster's controller would write it.
/// </summary>
public sealed class LabApiIngressStatusTests
{
    private const string Manifests = """
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec: {selector: {app: web}, ports: [{port: 80}]}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: site, namespace: shop, annotations: {kubernetes.io/ingress.class: maille}}
        spec: {defaultBackend: {service: {name: web, port: {number: 80}}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: other, namespace: shop, annotations: {kubernetes.io/ingress.class: nginx}}
        spec: {defaultBackend: {service: {name: web, port: {number: 80}}}}
        """;

    [Fact]
    public async Task Served_Ingresses_carry_the_controller_s_LoadBalancer_address_in_the_API_view()
    {
        var plan = LabPlanner.Plan("lab.yaml", Manifests, ClusterConfig.Default, null, PriorAllocations.None);
        Assert.True(plan.Succeeded, string.Join("\n", plan.Errors));
        var controller = plan.Cluster!.ServicesByName["maille-system/maille-ingress"];
        Assert.Equal(ServiceType.LoadBalancer, controller.Type);
        var address = Assert.Single(controller.LoadBalancerIngress);

        var folder = Directory.CreateTempSubdirectory("maille-api-");
        var socket = Path.Combine(folder.FullName, "api.sock");
        try
        {
            await using var server = new LabApiServer(new LabStore(plan.Cluster), socket);
            await server.StartAsync(CancellationToken.None);
            using var client = new LabApiClient(socket);

            var (status, site) = await client.SendAsync(HttpMethod.Get, "/apis/networking.k8s.io/v1/namespaces/shop/ingresses/site", null);
            Assert.Equal(200, status);
            Assert.Equal(address, (string?)site!["status"]!["loadBalancer"]!["ingress"]![0]!["ip"]);

            var (_, list) = await client.SendAsync(HttpMethod.Get, "/apis/networking.k8s.io/v1/ingresses", null);
            var statuses = list!["items"]!.AsArray().ToDictionary(
                i => (string)i!["metadata"]!["name"]!,
                i => i!["status"]?["loadBalancer"]?["ingress"]?.AsArray().Select(a => (string)a!["ip"]!).ToArray() ?? []);
            Assert.Equal([address], statuses["site"]);
            Assert.Empty(statuses["other"]); // another controller's Ingress: not Maille's to write
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
