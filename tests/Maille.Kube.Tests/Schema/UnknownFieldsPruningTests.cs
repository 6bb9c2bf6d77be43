using System.Text.Json.Nodes;
using Maille.Kube.Schema;

namespace Maille.Kube.Tests.Schema;

// Under fieldValidation Warn and Ignore the API server drops the fields a kind does not have as it decodes a write, so
// they are never stored nor served back (a later `kubectl replace` of what `get` printed would otherwise fail Strict).
public sealed class UnknownFieldsPruningTests
{
    [Fact]
    public void A_built_in_kinds_unknown_fields_are_dropped_wherever_they_are_and_every_known_field_stays()
    {
        var pod = JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labelz":{"a":"b"},"labels":{"any":"v"}},
             "spec":{"containers":[{"name":"c","image":"x","portz":[{"containerPort":80}],"ports":[{"containerPort":81,"protocal":"TCP"}]}]}}
            """)!.AsObject();

        var found = UnknownFields.Prune(pod, KindNames.Find("pod")!);

        Assert.Equal(["metadata.labelz", "spec.containers[0].portz", "spec.containers[0].ports[0].protocal"], found);
        Assert.Equal(
            """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"any":"v"}},"spec":{"containers":[{"name":"c","image":"x","ports":[{"containerPort":81}]}]}}""",
            pod.ToJsonString());
        Assert.Empty(UnknownFields.Of(pod, KindNames.Find("pod")!));
    }

    [Fact]
    public void A_custom_resources_unknown_fields_are_dropped_by_its_crds_schema_top_level_ones_too()
    {
        var pool = JsonNode.Parse("""
            {"apiVersion":"metallb.io/v1beta1","kind":"IPAddressPool","metadata":{"name":"p","namespace":"metallb-system"},
             "spec":{"addresses":["198.18.255.0/28"],"adresses":[]},"extra":1}
            """)!.AsObject();

        var found = UnknownFields.Prune(pool, KindNames.Find("ipaddresspools")!);

        Assert.Equal(["spec.adresses", "extra"], found);
        Assert.Equal("""{"apiVersion":"metallb.io/v1beta1","kind":"IPAddressPool","metadata":{"name":"p","namespace":"metallb-system"},"spec":{"addresses":["198.18.255.0/28"]}}""", pool.ToJsonString());
    }

    [Fact]
    public void Only_the_fields_selected_are_dropped_and_all_found_are_named()
    {
        var pod = JsonNode.Parse("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"old":1,"new":2,"containers":[]}}""")!.AsObject();

        var found = UnknownFields.Prune(pod, KindNames.Find("pod")!, path => path == "spec.new");

        Assert.Equal(["spec.old", "spec.new"], found);
        Assert.Equal("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"old":1,"containers":[]}}""", pod.ToJsonString());
    }
}
