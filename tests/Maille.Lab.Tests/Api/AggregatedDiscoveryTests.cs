using System.Text.Json.Nodes;
using Maille.Lab.Api;
using Microsoft.AspNetCore.Http;

namespace Maille.Lab.Tests.Api;

public sealed class AggregatedDiscoveryTests
{
    /// <summary>What kubectl 1.32 sends for /api and /apis.</summary>
    private const string KubectlAccept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

    [Theory]
    [InlineData(KubectlAccept, "v2")]
    [InlineData("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json", "v2beta1")]
    [InlineData("application/json", null)]
    [InlineData("", null)]
    [InlineData("application/json,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", null)]
    [InlineData("application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList", null)]
    [InlineData("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;q=0.5,application/json;q=0.9", null)]
    public void The_client_gets_the_first_form_it_accepts_that_the_lab_serves(string accept, string? expected)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.Accept = accept;

        Assert.Equal(expected, AggregatedDiscovery.Negotiate(http.Request));
    }

    [Fact]
    public void The_core_group_is_served_alone_at_api_with_pods_and_their_subresources()
    {
        var list = AggregatedDiscovery.List(core: true, "v2");

        Assert.Equal("apidiscovery.k8s.io/v2", (string?)list["apiVersion"]);
        var group = Assert.Single(list["items"]!.AsArray());
        Assert.Equal("", (string?)group!["metadata"]!["name"]);
        var pods = Resource(group, "v1", "pods");
        Assert.Equal("Namespaced", (string?)pods["scope"]);
        Assert.Equal("Pod", (string?)pods["responseKind"]!["kind"]);
        Assert.Contains("po", pods["shortNames"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(["exec", "log", "portforward", "status"], pods["subresources"]!.AsArray().Select(s => (string?)s!["subresource"]).Order());
        Assert.Equal("Cluster", (string?)Resource(group, "v1", "nodes")["scope"]);
    }

    [Fact]
    public void The_other_groups_are_served_at_apis_with_the_scale_subresource_answering_autoscaling_v1()
    {
        var list = AggregatedDiscovery.List(core: false, "v2");

        var groups = list["items"]!.AsArray().Select(g => (string?)g!["metadata"]!["name"]).ToList();
        Assert.DoesNotContain("", groups);
        Assert.Contains("authorization.k8s.io", groups);
        var apps = list["items"]!.AsArray().Single(g => (string?)g!["metadata"]!["name"] == "apps")!;
        var scale = Resource(apps, "v1", "deployments")["subresources"]!.AsArray().Single(s => (string?)s!["subresource"] == "scale")!;
        Assert.Equal("""{"group":"autoscaling","version":"v1","kind":"Scale"}""", scale["responseKind"]!.ToJsonString());
        Assert.Equal("Current", (string?)apps["versions"]![0]!["freshness"]);
    }

    [Fact]
    public void Aggregated_and_legacy_discovery_list_the_same_resources_and_verbs()
    {
        foreach (var (group, version) in Discovery.GroupVersions())
        {
            var legacy = Discovery.ResourceList(group, version, Discovery.Catalog(group, version))["resources"]!.AsArray()
                .Select(r => $"{r!["name"]} {string.Join(',', r["verbs"]!.AsArray().Select(v => (string?)v))}").Order().ToList();
            var aggregatedGroup = AggregatedDiscovery.List(group.Length == 0, "v2")["items"]!.AsArray().Single(g => (string?)g!["metadata"]!["name"] == group)!;
            var aggregated = aggregatedGroup["versions"]!.AsArray().Single(v => (string?)v!["version"] == version)!["resources"]!.AsArray()
                .SelectMany(r => r!["subresources"]!.AsArray().Select(s => $"{r["resource"]}/{s!["subresource"]} {string.Join(',', s["verbs"]!.AsArray().Select(v => (string?)v))}")
                    .Prepend($"{r["resource"]} {string.Join(',', r["verbs"]!.AsArray().Select(v => (string?)v))}"))
                .Order().ToList();

            Assert.NotEmpty(legacy);
            Assert.Equal(legacy, aggregated);
        }
    }

    private static JsonNode Resource(JsonNode group, string version, string resource) =>
        group["versions"]!.AsArray().Single(v => (string?)v!["version"] == version)!["resources"]!.AsArray().Single(r => (string?)r!["resource"] == resource)!;
}
