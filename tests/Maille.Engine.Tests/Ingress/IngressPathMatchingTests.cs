using static Maille.Engine.Tests.Ingress.IngressYaml;

namespace Maille.Engine.Tests.Ingress;

/// <summary>
/// The examples table of the Kubernetes Ingress documentation, row by row, and the path rules of
/// ingress-controller-conformance (features/path_rules.feature). Each case is an Ingress with the given paths (all on
/// one rule without host) and the request path; the expected answer is the path that wins, or the status.
/// </summary>
public sealed class IngressPathMatchingTests
{
    [Theory]
    // Prefix / matches every request.
    [InlineData(new[] { "Prefix /" }, "/", "Prefix /")]
    [InlineData(new[] { "Prefix /" }, "/anything/at/all", "Prefix /")]
    [InlineData(new[] { "Prefix /" }, "/foo", "Prefix /")]
    // Exact /foo: /foo yes; /bar and /foo/ no.
    [InlineData(new[] { "Exact /foo" }, "/foo", "Exact /foo")]
    [InlineData(new[] { "Exact /foo" }, "/bar", "404")]
    [InlineData(new[] { "Exact /foo" }, "/foo/", "404")]
    // Exact /foo/: /foo no.
    [InlineData(new[] { "Exact /foo/" }, "/foo", "404")]
    [InlineData(new[] { "Exact /foo/" }, "/foo/", "Exact /foo/")]
    // Prefix /foo or /foo/: /foo and /foo/ yes.
    [InlineData(new[] { "Prefix /foo" }, "/foo", "Prefix /foo")]
    [InlineData(new[] { "Prefix /foo" }, "/foo/", "Prefix /foo")]
    [InlineData(new[] { "Prefix /foo/" }, "/foo", "Prefix /foo/")]
    [InlineData(new[] { "Prefix /foo/" }, "/foo/", "Prefix /foo/")]
    // Prefix /aaa/bb: /aaa/bbb no (the last element is only a substring).
    [InlineData(new[] { "Prefix /aaa/bb" }, "/aaa/bbb", "404")]
    // Prefix /aaa/bbb/: /aaa/bbb yes (the trailing slash is ignored).
    [InlineData(new[] { "Prefix /aaa/bbb/" }, "/aaa/bbb", "Prefix /aaa/bbb/")]
    // Prefix /aaa/bbb: /aaa/bbb/ and /aaa/bbb/ccc yes, /aaa/bbbxyz no.
    [InlineData(new[] { "Prefix /aaa/bbb" }, "/aaa/bbb/", "Prefix /aaa/bbb")]
    [InlineData(new[] { "Prefix /aaa/bbb" }, "/aaa/bbb/ccc", "Prefix /aaa/bbb")]
    [InlineData(new[] { "Prefix /aaa/bbb" }, "/aaa/bbbxyz", "404")]
    // Prefix /, /aaa: /aaa/ccc takes /aaa.
    [InlineData(new[] { "Prefix /", "Prefix /aaa" }, "/aaa/ccc", "Prefix /aaa")]
    // Prefix /, /aaa, /aaa/bbb: /aaa/bbb takes /aaa/bbb, /ccc takes /.
    [InlineData(new[] { "Prefix /", "Prefix /aaa", "Prefix /aaa/bbb" }, "/aaa/bbb", "Prefix /aaa/bbb")]
    [InlineData(new[] { "Prefix /", "Prefix /aaa", "Prefix /aaa/bbb" }, "/ccc", "Prefix /")]
    // Prefix /aaa: /ccc matches nothing (default backend, here none: 404).
    [InlineData(new[] { "Prefix /aaa" }, "/ccc", "404")]
    // Mixed: /foo Prefix and /foo Exact, request /foo prefers Exact, whatever the order they are written in.
    [InlineData(new[] { "Prefix /foo", "Exact /foo" }, "/foo", "Exact /foo")]
    [InlineData(new[] { "Exact /foo", "Prefix /foo" }, "/foo", "Exact /foo")]
    [InlineData(new[] { "Exact /foo", "Prefix /foo" }, "/foo/bar", "Prefix /foo")]
    public void The_official_examples_table(string[] paths, string request, string expected)
    {
        var table = Table(Paths("paths", null, paths));
        Assert.Equal(expected, Matched(table, "any.example", request));
    }

    [Fact]
    public void Exact_is_byte_equal_and_case_sensitive()
    {
        var table = Table(Paths("exact", null, "Exact /foo"));
        Assert.Equal("Exact /foo", Matched(table, "h", "/foo"));
        Assert.Equal("404", Matched(table, "h", "/FOO"));
        Assert.Equal("404", Matched(table, "h", "/foo/"));
        Assert.Equal("404", Matched(table, "h", "/fo"));
    }

    [Fact]
    public void Prefix_compares_whole_elements_and_is_case_sensitive()
    {
        var table = Table(Paths("prefix", null, "Prefix /aaa"));
        Assert.Equal("404", Matched(table, "h", "/aaaccc"));
        Assert.Equal("404", Matched(table, "h", "/AAA"));
        Assert.Equal("Prefix /aaa", Matched(table, "h", "/aaa/ccc/ddd"));
    }

    [Fact]
    public void The_longest_prefix_wins_whatever_the_order_of_the_paths()
    {
        var table = Table(Paths("longest", null, "Prefix /a/b/c", "Prefix /a", "Prefix /a/b"));
        Assert.Equal("Prefix /a/b/c", Matched(table, "h", "/a/b/c/d"));
        Assert.Equal("Prefix /a/b", Matched(table, "h", "/a/b/x"));
        Assert.Equal("Prefix /a", Matched(table, "h", "/a/bb"));
    }

    [Fact]
    public void A_longer_prefix_beats_a_shorter_exact_path_only_where_the_exact_path_does_not_match()
    {
        var table = Table(Paths("mixed", null, "Exact /a/b", "Prefix /a"));
        Assert.Equal("Exact /a/b", Matched(table, "h", "/a/b"));
        Assert.Equal("Prefix /a", Matched(table, "h", "/a/b/c"));
    }

    [Fact]
    public void ImplementationSpecific_is_matched_as_Prefix()
    {
        var table = Table(Paths("impl", null, "ImplementationSpecific /static/"));
        Assert.Equal("ImplementationSpecific /static/", Matched(table, "h", "/static"));
        Assert.Equal("ImplementationSpecific /static/", Matched(table, "h", "/static/app.js"));
        Assert.Equal("404", Matched(table, "h", "/staticx"));
    }

    [Fact]
    public void An_empty_request_path_is_the_root()
    {
        var table = Table(Paths("root", null, "Exact /"));
        Assert.Equal("Exact /", Matched(table, "h", ""));
    }
}
