using System.Text.Json.Nodes;
using k8s.Models;
using Maille.Kube.Patching;

namespace Maille.Kube.Tests.Patching;

public sealed class ObjectPatchTests
{
    private const string Service = """{"apiVersion":"v1","kind":"Service","metadata":{"name":"s","labels":{"a":"1"}},"spec":{"ports":[{"port":80},{"port":443}]}}""";

    [Fact]
    public void A_json_patch_adds_replaces_and_removes_by_pointer()
    {
        var patched = ObjectPatch.Apply(Parse(Service), ObjectPatch.JsonPatchType, """
            [{"op":"add","path":"/metadata/labels/b","value":"2"},{"op":"replace","path":"/spec/ports/0/port","value":8080},{"op":"remove","path":"/spec/ports/1"}]
            """, typeof(V1Service));

        Assert.Equal("""{"a":"1","b":"2"}""", patched["metadata"]!["labels"]!.ToJsonString());
        Assert.Equal("""[{"port":8080}]""", patched["spec"]!["ports"]!.ToJsonString());
    }

    [Fact]
    public void A_failed_json_patch_test_changes_nothing_and_says_so()
    {
        var current = Parse(Service);

        var error = Assert.Throws<FormatException>(() => ObjectPatch.Apply(current, ObjectPatch.JsonPatchType,
            """[{"op":"replace","path":"/metadata/labels/a","value":"9"},{"op":"test","path":"/spec/ports/0/port","value":81}]""", typeof(V1Service)));

        Assert.Contains("cannot be applied", error.Message, StringComparison.Ordinal);
        Assert.Equal("1", (string)current["metadata"]!["labels"]!["a"]!);
    }

    [Theory]
    [InlineData("""[{"op":"bogus","path":"/x"}]""", "unknown op \"bogus\"")]
    [InlineData("""[{"op":"add"}]""", "operation 0: path must be a string")]
    [InlineData("""[{"op":"add","path":"/a"}]""", "add needs a value")]
    [InlineData("""[{"op":"copy","path":"/a"}]""", "from must be a string")]
    [InlineData("""{"op":"add"}""", "a JSON patch is a list of operations")]
    public void A_json_patch_that_is_not_rfc_6902_is_refused_with_what_is_wrong(string patch, string message)
    {
        var error = Assert.Throws<FormatException>(() => ObjectPatch.Apply(Parse(Service), ObjectPatch.JsonPatchType, patch, typeof(V1Service)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_merge_patch_replaces_lists_whole()
    {
        var patched = ObjectPatch.Apply(Parse(Service), ObjectPatch.MergePatchType, """{"spec":{"ports":[{"port":53}]},"metadata":{"labels":{"a":null}}}""", typeof(V1Service));

        Assert.Equal("""[{"port":53}]""", patched["spec"]!["ports"]!.ToJsonString());
        Assert.Equal("{}", patched["metadata"]!["labels"]!.ToJsonString());
    }

    [Fact]
    public void Strategic_merge_patch_of_a_kind_without_a_model_is_not_supported_and_unknown_types_are_refused()
    {
        Assert.Throws<NotSupportedException>(() => ObjectPatch.Apply(Parse(Service), ObjectPatch.StrategicMergePatchType, "{}", type: null));
        var error = Assert.Throws<NotSupportedException>(() => ObjectPatch.Apply(Parse(Service), "application/yaml", "{}", typeof(V1Service)));
        Assert.Contains("application/merge-patch+json", error.Message, StringComparison.Ordinal);
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
