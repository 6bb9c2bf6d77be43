using k8s.Models;
using Maille.Kube.Schema;

namespace Maille.Kube.Tests.Schema;

public sealed class OpenApiSchemasTests
{
    [Fact]
    public void Lists_say_how_server_side_apply_merges_them_and_selectors_are_atomic()
    {
        var schemas = OpenApiSchemas.For([(typeof(V1Service), "", "v1", "Service"), (typeof(V1Pod), "", "v1", "Pod"), (typeof(V1Deployment), "apps", "v1", "Deployment")]);
        var service = schemas[OpenApiSchemas.NameOf(typeof(V1ServiceSpec))]!["properties"]!;
        var pod = schemas[OpenApiSchemas.NameOf(typeof(V1PodSpec))]!["properties"]!;
        var container = schemas[OpenApiSchemas.NameOf(typeof(V1Container))]!["properties"]!;

        Assert.Equal("map", (string?)service["ports"]!["x-kubernetes-list-type"]);
        Assert.Equal("port", (string?)service["ports"]!["x-kubernetes-list-map-keys"]![0]);
        Assert.Equal("atomic", (string?)service["selector"]!["x-kubernetes-map-type"]);
        Assert.Equal("map", (string?)pod["containers"]!["x-kubernetes-list-type"]);
        Assert.Equal("atomic", (string?)container["args"]!["x-kubernetes-list-type"]);
        Assert.Equal("atomic", (string?)schemas[OpenApiSchemas.NameOf(typeof(V1LabelSelector))]!["x-kubernetes-map-type"]);
    }
}
