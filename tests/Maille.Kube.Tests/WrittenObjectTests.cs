using System.Text.Json.Nodes;

namespace Maille.Kube.Tests;

public sealed class WrittenObjectTests
{
    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    [Fact]
    public void Every_written_field_stays_and_the_servers_fields_are_set_over_it()
    {
        var written = Json("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","annotations":{"note":"mine"}},
             "spec":{"volumes":[{"name":"v","emptyDir":{}}],
                     "containers":[{"name":"c","image":"x","env":[{"name":"K","value":"v"}],"ports":[{"containerPort":80}]}]}}
            """);
        var served = Json("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","uid":"u-1"},
             "spec":{"nodeName":"node-1","containers":[{"name":"c","image":"x","ports":[{"containerPort":80,"protocol":"TCP"}]}]},
             "status":{"phase":"Running"}}
            """);

        var merged = WrittenObject.Merge(written, served);

        Assert.Equal("mine", (string?)merged["metadata"]!["annotations"]!["note"]);
        Assert.Equal("u-1", (string?)merged["metadata"]!["uid"]);
        Assert.Equal("node-1", (string?)merged["spec"]!["nodeName"]);
        Assert.Equal("v", (string?)merged["spec"]!["containers"]![0]!["env"]![0]!["value"]);
        Assert.Equal("TCP", (string?)merged["spec"]!["containers"]![0]!["ports"]![0]!["protocol"]);
        Assert.Equal("v", (string?)merged["spec"]!["volumes"]![0]!["name"]);
        Assert.Equal("Running", (string?)merged["status"]!["phase"]);
        Assert.Null(written["spec"]!["nodeName"]);
    }

    [Fact]
    public void A_list_the_server_made_another_length_stands_whole_and_a_written_status_is_the_servers()
    {
        var written = Json("""{"spec":{"ports":[{"port":80,"name":"a"},{"port":81,"name":"b"}]},"status":{"phase":"Made up"}}""");
        var served = Json("""{"spec":{"ports":[{"port":80}]}}""");

        var merged = WrittenObject.Merge(written, served);

        Assert.Equal("""{"spec":{"ports":[{"port":80}]}}""", merged.ToJsonString());
    }
}
