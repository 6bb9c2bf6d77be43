using System.Text.Json.Nodes;
using k8s.Models;
using Maille.Kube.Fields;

namespace Maille.Kube.Tests.Fields;

public sealed class ObjectFieldsTests
{
    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    [Fact]
    public void An_applied_deployment_owns_its_leaves_keyed_containers_and_map_entries_in_the_FieldsV1_encoding()
    {
        var config = Json("""
            {"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
             "template":{"metadata":{"labels":{"app":"web"}},
               "spec":{"containers":[{"name":"web","image":"nginx","ports":[{"containerPort":80}],"resources":{}}]}}}}
            """);

        var fields = ObjectFields.Of(config, typeof(V1Deployment));

        Assert.Equal(
            """{"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{"k:{\"containerPort\":80}":{".":{},"f:containerPort":{}}},"f:resources":{}}}}}}}""",
            fields.ToFieldsV1().ToJsonString(Relaxed));
    }

    [Fact]
    public void Set_lists_hold_values_and_other_lists_are_atomic()
    {
        var pod = Json("""{"metadata":{"finalizers":["a"]},"spec":{"containers":[{"name":"c","args":["x","y"]}]}}""");

        var fields = ObjectFields.Of(pod, typeof(V1Pod)).ToFieldsV1().ToJsonString(Relaxed);

        Assert.Contains("""
            "f:finalizers":{"v:\"a\"":{}}
            """.Trim(), fields, StringComparison.Ordinal);
        Assert.Contains("""
            "f:args":{}
            """.Trim(), fields, StringComparison.Ordinal);
    }

    [Fact]
    public void FieldsV1_reads_back_as_the_same_set()
    {
        var fields = ObjectFields.Of(Json("""{"metadata":{"labels":{"a":"1"}},"spec":{"ports":[{"port":80,"name":"http"}]}}"""), typeof(V1Service));

        var read = FieldSet.FromFieldsV1(fields.ToFieldsV1());

        Assert.Equal(fields, read);
        Assert.Contains(["f:spec", "f:ports", """k:{"port":80}""", "f:name"], read.Paths, PathComparer.Instance);
    }

    [Fact]
    public void Compare_says_what_was_added_changed_and_removed_with_items_of_keyed_lists_as_paths()
    {
        var before = Json("""{"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}]}}}}""");
        var after = Json("""{"spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"a","image":"x"},{"name":"c","image":"z"}]}}}}""");

        var comparison = ObjectFields.Compare(before, after, typeof(V1Deployment));

        Assert.Equal([".spec.replicas"], comparison.Modified.Paths.Select(FieldSet.Display));
        Assert.Contains(""".spec.template.spec.containers[name="c"]""", comparison.Added.Paths.Select(FieldSet.Display));
        Assert.Contains(""".spec.template.spec.containers[name="c"].image""", comparison.Added.Paths.Select(FieldSet.Display));
        Assert.Contains(""".spec.template.spec.containers[name="b"]""", comparison.Removed.Paths.Select(FieldSet.Display));
    }

    [Fact]
    public void Merge_merges_maps_and_keyed_items_and_replaces_atomic_lists()
    {
        var live = Json("""{"metadata":{"labels":{"a":"1"}},"spec":{"containers":[{"name":"a","image":"x","args":["1","2"]},{"name":"b","image":"y"}]}}""");
        var config = Json("""{"metadata":{"labels":{"b":"2"}},"spec":{"containers":[{"name":"a","args":["3"]}]}}""");

        var merged = ObjectFields.Merge(live, config, typeof(V1Pod));

        Assert.Equal(
            """{"metadata":{"labels":{"a":"1","b":"2"}},"spec":{"containers":[{"name":"a","image":"x","args":["3"]},{"name":"b","image":"y"}]}}""",
            merged.ToJsonString());
    }

    [Fact]
    public void A_Services_selector_and_label_selectors_are_atomic_values_replaced_whole()
    {
        var live = Json("""{"spec":{"selector":{"app":"web","tier":"front"}}}""");
        var config = Json("""{"spec":{"selector":{"app":"api"}}}""");

        var fields = ObjectFields.Of(config, typeof(V1Service));
        var merged = ObjectFields.Merge(live, config, typeof(V1Service));

        Assert.Equal("""{"f:spec":{"f:selector":{}}}""", fields.ToFieldsV1().ToJsonString(Relaxed));
        Assert.Equal("""{"spec":{"selector":{"app":"api"}}}""", merged.ToJsonString());
    }

    [Fact]
    public void An_item_of_a_keyed_list_without_its_key_is_refused()
    {
        var config = Json("""{"spec":{"containers":[{"image":"x"}]}}""");

        var error = Assert.Throws<FormatException>(() => ObjectFields.Of(config, typeof(V1Pod)));

        Assert.Contains("omits key field \"name\"", error.Message, StringComparison.Ordinal);
    }

    private sealed class PathComparer : IEqualityComparer<IReadOnlyList<string>>
    {
        public static PathComparer Instance { get; } = new();

        public bool Equals(IReadOnlyList<string>? x, IReadOnlyList<string>? y) => x!.SequenceEqual(y!);

        public int GetHashCode(IReadOnlyList<string> obj) => obj.Count;
    }
}
