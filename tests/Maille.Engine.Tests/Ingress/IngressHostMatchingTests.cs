using static Maille.Engine.Tests.Ingress.IngressYaml;

namespace Maille.Engine.Tests.Ingress;

/// <summary>Host rules: the Ingress documentation's host table and ingress-controller-conformance host_rules.feature.</summary>
public sealed class IngressHostMatchingTests
{
    [Theory]
    [InlineData("bar.foo.com", "Prefix /wild")]
    [InlineData("baz.bar.foo.com", "404")] // a wildcard covers exactly one label
    [InlineData("foo.com", "404")] // and at least one
    [InlineData(".foo.com", "404")] // an empty label is not a label
    public void A_wildcard_host_matches_exactly_one_label(string host, string expected)
    {
        var table = Table(Paths("wild", "*.foo.com", "Prefix /wild"));
        Assert.Equal(expected, Matched(table, host, "/wild"));
    }

    [Theory]
    [InlineData("shop.example", "Prefix /exact")]
    [InlineData("shop.example:8080", "Prefix /exact")] // the Host header's port is not part of the host
    [InlineData("SHOP.Example", "Prefix /exact")] // DNS names compare without case
    [InlineData("shop.example.", "Prefix /exact")] // a fully qualified name
    [InlineData("other.example", "404")]
    [InlineData("", "404")]
    public void An_exact_host_matches_the_Host_header_host(string host, string expected)
    {
        var table = Table(Paths("exact", "shop.example", "Prefix /exact"));
        Assert.Equal(expected, Matched(table, host, "/exact"));
    }

    [Fact]
    public void A_rule_without_host_takes_any_host_and_requests_without_one()
    {
        var table = Table(Paths("any", null, "Prefix /"));
        Assert.Equal("Prefix /", Matched(table, "whatever.example", "/x"));
        Assert.Equal("Prefix /", Matched(table, "198.18.0.240", "/x"));
        Assert.Equal("Prefix /", Matched(table, "[fd00::1]:80", "/x"));
        Assert.Equal("Prefix /", Matched(table, "", "/x"));
    }

    [Fact]
    public void An_exact_host_beats_a_wildcard_and_a_wildcard_beats_rules_without_host()
    {
        var table = Table(Paths("exact", "api.foo.com", "Prefix /exact") + Paths("wild", "*.foo.com", "Prefix /wild") + Paths("any", null, "Prefix /any"));
        Assert.Equal("Prefix /exact", Matched(table, "api.foo.com", "/exact"));
        Assert.Equal("Prefix /wild", Matched(table, "web.foo.com", "/wild"));
        Assert.Equal("Prefix /any", Matched(table, "foo.com", "/any"));
    }

    [Fact]
    public void The_host_is_chosen_first_and_its_paths_alone_are_tried()
    {
        // shop.example has its own rules, so a path they lack is not looked for among the rules without host.
        var table = Table(Paths("host", "shop.example", "Prefix /api") + Paths("any", null, "Prefix /"));
        Assert.Equal("Prefix /api", Matched(table, "shop.example", "/api/items"));
        Assert.Equal("404", Matched(table, "shop.example", "/other"));
        Assert.Equal("Prefix /", Matched(table, "elsewhere.example", "/other"));
    }
}
