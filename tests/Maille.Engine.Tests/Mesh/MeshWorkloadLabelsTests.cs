using Maille.Engine.Mesh;
using Maille.TestKit;

namespace Maille.Engine.Tests.Mesh;

/// <summary>How a pod is named in Istio's metrics: its workload, canonical service and revision, and principal.</summary>
public sealed class MeshWorkloadLabelsTests
{
    [Fact]
    public void A_Deployments_pod_is_the_workload_of_its_Deployment_not_of_its_ReplicaSet()
    {
        var cluster = Cluster.Valid(DeploymentYaml.Of("reviews-v2", "shop", 2, "app=reviews", "[{containerPort: 9080}]"));

        Assert.All(cluster.Pods, pod =>
        {
            var labels = MeshWorkloadLabels.Of(pod);
            Assert.Equal("reviews-v2", labels.Workload);
            Assert.Equal("shop", labels.Namespace);
            Assert.Equal("reviews", labels.CanonicalService);
            Assert.Equal("latest", labels.CanonicalRevision);
            Assert.Equal("spiffe://cluster.local/ns/shop/sa/default", labels.Principal);
        });
    }

    [Fact]
    public void A_StatefulSets_pod_is_its_StatefulSet_and_a_bare_pod_is_itself()
    {
        var cluster = Cluster.Valid("""
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db, namespace: shop}
            spec:
              replicas: 1
              serviceName: db
              selector: {matchLabels: {role: db}}
              template:
                metadata: {labels: {role: db}}
                spec: {containers: [{name: c}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: debug, namespace: shop}
            spec: {serviceAccountName: ops, containers: [{name: c}]}
            """);

        var db = MeshWorkloadLabels.Of(cluster.PodsByName["shop/db-0"]);
        var debug = MeshWorkloadLabels.Of(cluster.PodsByName["shop/debug"]);

        Assert.Equal(("db", "db"), (db.Workload, db.CanonicalService));
        Assert.Equal(("debug", "debug", "spiffe://cluster.local/ns/shop/sa/ops"), (debug.Workload, debug.CanonicalService, debug.Principal));
    }

    [Theory]
    [InlineData("{service.istio.io/canonical-name: cart, app.kubernetes.io/name: k8s, app: plain}", "cart")]
    [InlineData("{app.kubernetes.io/name: k8s, app: plain}", "k8s")]
    [InlineData("{app: plain}", "plain")]
    [InlineData("{}", "debug")]
    public void The_canonical_service_is_the_first_of_Istios_label_the_Kubernetes_name_app_then_the_workload(string labels, string expected)
    {
        var pod = BarePod(labels);

        Assert.Equal(expected, MeshWorkloadLabels.Of(pod).CanonicalService);
    }

    [Theory]
    [InlineData("{service.istio.io/canonical-revision: r7, app.kubernetes.io/version: '2.1', version: v1}", "r7")]
    [InlineData("{app.kubernetes.io/version: '2.1', version: v1}", "2.1")]
    [InlineData("{version: v1}", "v1")]
    [InlineData("{}", "latest")]
    public void The_canonical_revision_is_the_first_of_Istios_label_the_Kubernetes_version_version_then_latest(string labels, string expected)
    {
        var pod = BarePod(labels);

        Assert.Equal(expected, MeshWorkloadLabels.Of(pod).CanonicalRevision);
    }

    /// <summary>The pod shop/debug, alone, with <paramref name="labels"/> (flow YAML).</summary>
    private static Model.Pod BarePod(string labels) => Cluster.Valid($$"""
        apiVersion: v1
        kind: Pod
        metadata: {name: debug, namespace: shop, labels: {{labels}}}
        spec: {containers: [{name: c}]}
        """).PodsByName["shop/debug"];
}
