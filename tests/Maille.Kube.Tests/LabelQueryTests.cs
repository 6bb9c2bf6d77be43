namespace Maille.Kube.Tests;

public sealed class LabelQueryTests
{
    private static readonly Dictionary<string, string> Web = new() { ["app"] = "web", ["tier"] = "front" };

    [Theory]
    [InlineData("", true)]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app=api", false)]
    [InlineData("app!=api", true)]
    [InlineData("zone!=a", true)]
    [InlineData("app", true)]
    [InlineData("!app", false)]
    [InlineData("!zone", true)]
    [InlineData("app in (api, web)", true)]
    [InlineData("app notin (api,web)", false)]
    [InlineData("zone notin (a)", true)]
    [InlineData("app=web,tier=back", false)]
    [InlineData("app in (web,api),tier", true)]
    public void Requirements_all_hold_as_the_api_server_reads_them(string selector, bool matches) =>
        Assert.Equal(matches, LabelQuery.Parse(selector).Matches(Web));

    [Theory]
    [InlineData("app in web")]
    [InlineData("a b=c")]
    [InlineData("app=web,")]
    public void A_selector_that_does_not_parse_is_refused(string selector) =>
        Assert.StartsWith("unable to parse requirement", Assert.Throws<FormatException>(() => LabelQuery.Parse(selector)).Message, StringComparison.Ordinal);
}
