using System.Text.Json.Nodes;
using k8s;
using Maille.Kube;
using Maille.Kube.Schema;
using Maille.Lab.Api;
using Maille.TestKit;

namespace Maille.Lab.Tests.Api;

// What the lab serves of a custom resource must be what its CRD defines: kubectl replace sends back what it read, and
// a strict write judges every field by the CRD's schema.
public sealed class ServedCustomResourcesTests
{
    [Fact]
    public void Every_custom_resource_the_lab_serves_has_only_fields_its_CRD_defines()
    {
        var cluster = Cluster.Valid(string.Join("\n---\n",
            File.ReadAllText(Path.Combine(Cluster.RepositoryRoot, "examples/gateway/gateway.yaml")),
            File.ReadAllText(Path.Combine(Cluster.RepositoryRoot, "examples/gateway/shop.yaml")),
            File.ReadAllText(Path.Combine(Cluster.RepositoryRoot, "examples/netpol-playground/scenarios/cluster-network-policy-tiers.yaml")),
            """
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {name: pool, namespace: metallb-system}
            spec: {addresses: [198.18.255.0/28]}
            ---
            apiVersion: metallb.io/v1beta1
            kind: L2Advertisement
            metadata: {name: l2, namespace: metallb-system}
            spec: {ipAddressPools: [pool]}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: GRPCRoute
            metadata: {name: grpc, namespace: shop}
            spec:
              parentRefs: [{name: public, namespace: edge, sectionName: http}]
              rules: [{matches: [{method: {service: shop.Inventory, method: Get}}], backendRefs: [{name: web, port: 80}]}]
            ---
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: from-edge, namespace: shop}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: edge}]
              to: [{group: "", kind: Service}]
            ---
            apiVersion: policy.networking.k8s.io/v1alpha1
            kind: AdminNetworkPolicy
            metadata: {name: old}
            spec:
              priority: 3
              subject: {namespaces: {}}
              ingress: [{name: a, action: Allow, from: [{namespaces: {}}], ports: [{portNumber: {protocol: TCP, port: 80}}, {portRange: {protocol: UDP, start: 1, end: 9}}]}]
            """));

        var judged = new List<string>();
        foreach (var resource in ApiResources.All.Where(r => CustomResourceSchemas.Of(r.Kind, r.Version) is not null))
        {
            var kind = KindNames.ByPlural(resource.Group, resource.Plural)!;
            foreach (var item in resource.Objects(cluster, null))
            {
                var served = JsonNode.Parse(KubernetesJson.Serialize(item.Write()))!.AsObject();
                Assert.True(UnknownFields.Of(served, kind) is [], $"{kind.Kind} {item.Meta.QualifiedName}: {string.Join(", ", UnknownFields.Of(served, kind))}\n{served}");
                judged.Add(kind.Kind);
            }
        }

        Assert.Equal(
            ["AdminNetworkPolicy", "ClusterNetworkPolicy", "GRPCRoute", "Gateway", "GatewayClass", "HTTPRoute", "IPAddressPool", "L2Advertisement", "ReferenceGrant"],
            judged.Distinct().Order(StringComparer.Ordinal));
    }
}
