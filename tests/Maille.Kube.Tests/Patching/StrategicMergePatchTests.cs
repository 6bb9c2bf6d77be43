using System.Text.Json.Nodes;
using k8s.Models;
using Maille.Kube.Patching;

namespace Maille.Kube.Tests.Patching;

public sealed class StrategicMergePatchTests
{
    private const string Deployment = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web","tier":"front"}},
         "spec":{"replicas":2,"template":{"spec":{"containers":[
           {"name":"web","image":"nginx:1","ports":[{"containerPort":80},{"containerPort":443}],"env":[{"name":"A","value":"1"}]},
           {"name":"sidecar","image":"envoy"}]}}}}
        """;

    [Fact]
    public void Containers_merge_by_name_and_their_ports_by_containerPort()
    {
        var patched = Patch(Deployment, """
            {"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:2","ports":[{"containerPort":8080}]}]}}}}
            """);

        var containers = patched["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["web", "sidecar"], containers.Select(c => (string)c!["name"]!));
        Assert.Equal("nginx:2", (string)containers[0]!["image"]!);
        Assert.Equal([80, 443, 8080], containers[0]!["ports"]!.AsArray().Select(p => (int)p!["containerPort"]!));
        Assert.Equal("1", (string)containers[0]!["env"]![0]!["value"]!);
    }

    [Fact]
    public void A_delete_directive_removes_the_item_with_that_key_and_null_removes_a_field()
    {
        var patched = Patch(Deployment, """
            {"metadata":{"labels":{"tier":null}},
             "spec":{"template":{"spec":{"containers":[{"name":"sidecar","$patch":"delete"},{"name":"web","env":null}]}}}}
            """);

        var containers = patched["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["web"], containers.Select(c => (string)c!["name"]!));
        Assert.Null(containers[0]!["env"]);
        Assert.Equal(["app"], patched["metadata"]!["labels"]!.AsObject().Select(l => l.Key));
    }

    [Fact]
    public void Set_element_order_puts_the_merged_items_in_the_order_kubectl_apply_sends()
    {
        var patched = Patch(Deployment, """
            {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"web"}],
              "containers":[{"name":"web","image":"nginx:3"}]}}}}
            """);

        Assert.Equal(["sidecar", "web"], patched["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => (string)c!["name"]!));
    }

    [Fact]
    public void Service_ports_merge_by_port_and_a_replace_directive_replaces_the_list()
    {
        const string Svc = """{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"ports":[{"port":80,"targetPort":8080},{"port":443}]}}""";

        var merged = StrategicMergePatch.Apply(Parse(Svc), Parse("""{"spec":{"ports":[{"port":80,"targetPort":9090}]}}"""), typeof(V1Service));
        var replaced = StrategicMergePatch.Apply(Parse(Svc), Parse("""{"spec":{"ports":[{"$patch":"replace"},{"port":53}]}}"""), typeof(V1Service));

        Assert.Equal("""[{"port":80,"targetPort":9090},{"port":443}]""", merged["spec"]!["ports"]!.ToJsonString());
        Assert.Equal("""[{"port":53}]""", replaced["spec"]!["ports"]!.ToJsonString());
    }

    [Fact]
    public void Lists_without_a_merge_key_are_replaced_whole()
    {
        const string Policy = """{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"p"},"spec":{"policyTypes":["Ingress"],"ingress":[{"ports":[{"port":80}]},{"ports":[{"port":81}]}]}}""";

        var patched = StrategicMergePatch.Apply(Parse(Policy), Parse("""{"spec":{"ingress":[{"ports":[{"port":82}]}]}}"""), typeof(V1NetworkPolicy));

        Assert.Equal("""[{"ports":[{"port":82}]}]""", patched["spec"]!["ingress"]!.ToJsonString());
    }

    [Fact]
    public void Finalizers_merge_as_a_set_and_delete_from_primitive_list_removes_values()
    {
        const string Ns = """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"n","finalizers":["a","b"]}}""";

        var patched = StrategicMergePatch.Apply(Parse(Ns), Parse("""{"metadata":{"finalizers":["c","a"],"$deleteFromPrimitiveList/finalizers":["b"]}}"""), typeof(V1Namespace));

        Assert.Equal("""["a","c"]""", patched["metadata"]!["finalizers"]!.ToJsonString());
    }

    [Fact]
    public void Retain_keys_drops_the_fields_the_patch_does_not_keep()
    {
        const string Strategy = """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}""";

        var patched = StrategicMergePatch.Apply(Parse(Strategy), Parse("""{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}"""), typeof(V1Deployment));

        Assert.Equal("""{"type":"Recreate"}""", patched["spec"]!["strategy"]!.ToJsonString());
    }

    [Fact]
    public void An_item_without_its_merge_key_is_refused_with_where_it_is()
    {
        var error = Assert.Throws<FormatException>(() => Patch(Deployment, """{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}"""));

        Assert.Contains("spec.template.spec.containers", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not contain declared merge key: name", error.Message, StringComparison.Ordinal);
    }

    private static JsonObject Patch(string target, string patch) => StrategicMergePatch.Apply(Parse(target), Parse(patch), typeof(V1Deployment));

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
