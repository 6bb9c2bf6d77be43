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
}
