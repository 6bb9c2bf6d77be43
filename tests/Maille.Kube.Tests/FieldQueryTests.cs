namespace Maille.Kube.Tests;

public sealed class FieldQueryTests
{
    private static string? Field(string path) => path switch
    {
        "metadata.name" => "a",
        "spec.nodeName" => "node-1",
        "status.phase" => "Running",
        _ => null,
    };

    [Theory]
    [InlineData("metadata.name=a", true)]
    [InlineData("metadata.name!=a", false)]
    [InlineData("spec.nodeName==node-1,status.phase=Running", true)]
    [InlineData("spec.nodeName=node-2", false)]
    [InlineData("status.podIP=", true)]
    public void Pods_are_selected_by_the_fields_the_api_server_offers(string selector, bool matches) =>
        Assert.Equal(matches, FieldQuery.Parse(selector, "Pod").Matches(Field));

    [Fact]
    public void A_field_the_kind_cannot_be_selected_by_is_refused_by_name()
    {
        var error = Assert.Throws<FormatException>(() => FieldQuery.Parse("spec.nodeName=node-1", "Service"));

        Assert.Equal("field label not supported: spec.nodeName", error.Message);
        Assert.False(FieldQuery.Parse("metadata.name=a", "Service").ReadsObject);
        Assert.True(FieldQuery.Parse("status.phase=Running", "Pod").ReadsObject);
    }

    [Fact]
    public void Secrets_are_selected_by_their_type_and_no_other_kind_is()
    {
        var query = FieldQuery.Parse("type=kubernetes.io/tls", "Secret");

        Assert.True(query.Matches(path => path == "type" ? "kubernetes.io/tls" : null));
        Assert.False(query.Matches(path => path == "type" ? "Opaque" : null));
        Assert.Equal("field label not supported: type", Assert.Throws<FormatException>(() => FieldQuery.Parse("type=Opaque", "ConfigMap")).Message);
    }

    [Fact]
    public void Events_are_selected_by_the_object_they_are_about_as_kubectl_describe_asks()
    {
        var query = FieldQuery.Parse("involvedObject.uid=u-1,involvedObject.name=web,involvedObject.namespace=shop", "Event");
        string? Event(string path) => path switch
        {
            "involvedObject.uid" => "u-1",
            "involvedObject.name" => "web",
            "involvedObject.namespace" => "shop",
            _ => null,
        };

        Assert.True(query.Matches(Event));
        Assert.False(query.Matches(path => path == "involvedObject.uid" ? "u-2" : Event(path)));
        Assert.True(FieldQuery.Parse("reason=Unhealthy,type=Warning,source=kubelet", "Event").ReadsObject);
        Assert.Throws<FormatException>(() => FieldQuery.Parse("involvedObject.name=web", "Pod"));
    }
}
