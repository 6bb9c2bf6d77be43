using Maille.TestKit;

namespace Maille.Engine.Tests.Gateway;

/// <summary>
/// Issue 17's check of <c>maille convert ingress-to-gateway</c>: for every Ingress example and golden in the
/// repository, the converted Gateway routes every derived request (each host × each path, a sibling, a deeper path, a
/// path one element off, an unknown host; the TLS hosts over HTTPS too) to the backend the Ingress controller chose,
/// or answers the same status.
/// </summary>
public sealed class IngressToGatewayTraceEqualityTests
{
    /// <summary>The example and golden inputs with Ingresses, and the fixtures written after the Ingress engine tests.</summary>
    private static readonly string[] CorpusPaths =
    [
        "examples/shop",
        "tests/Maille.Cli.Tests/testassets/golden/shop/input.yaml",
        IngressGatewayComparison.Fixtures + "merged-paths.yaml",
        IngressGatewayComparison.Fixtures + "tls-namespaces.yaml",
    ];

    public static TheoryData<string> Corpora => [.. CorpusPaths];

    [Theory]
    [MemberData(nameof(Corpora))]
    public void Every_request_goes_where_the_Ingresses_sent_it(string corpus)
    {
        var comparison = new IngressGatewayComparison(corpus);

        Assert.Empty(comparison.Result.Warnings.Select(w => w.ToString()));
        Assert.True(comparison.Requests().Count >= 20, $"only {comparison.Requests().Count} requests derived from {corpus}");
        Assert.Empty(comparison.Differences());
    }

    [Fact]
    public void The_corpora_hold_every_valid_input_with_an_Ingress_under_examples_and_the_goldens()
    {
        var root = Cluster.RepositoryRoot;
        var withIngress = Directory.EnumerateFiles(Path.Combine(root, "examples"), "*.yaml", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "tests"), "*.yaml", SearchOption.AllDirectories).Where(f => f.Contains("golden", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal)))
            .Where(f => File.ReadLines(f).Any(l => l.TrimEnd() == "kind: Ingress"))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'));
        Assert.All(withIngress, file => Assert.Contains(CorpusPaths, c => file.StartsWith(c, StringComparison.Ordinal)));
    }

    [Fact]
    public void Where_a_warning_says_the_Gateway_differs_it_does_and_nowhere_else()
    {
        var comparison = new IngressGatewayComparison(IngressGatewayComparison.Fixtures + "warnings.yaml");

        Assert.Equal(
            ["spec.rules[0].host", "spec.rules[1].http.paths[0].backend.service.port", "spec.rules[1].host"],
            comparison.Result.Warnings.Select(w => w.Field));
        // shop.example's own paths lack /: the Ingress answers 404, a Gateway falls through to the rules without host.
        Assert.Equal("404", comparison.ByIngress("shop.example", "/other"));
        Assert.Equal("app/other:80", comparison.ByGateway("http", "shop.example", "/other"));
        // The port name the Service lacks: a backendRef needs a number, so the rule has none and answers 500.
        Assert.Equal("500", comparison.ByGateway("http", "shop.example", "/api"));
        // Two labels under the wildcard: the Ingress's covers one label, the Gateway's more.
        Assert.Equal("app/other:80", comparison.ByIngress("two.one.shop.example", "/"));
        Assert.Equal("app/web:80", comparison.ByGateway("http", "two.one.shop.example", "/"));
        // Among the derived requests (one label under the wildcard), only shop.example's differ.
        Assert.All(comparison.Differences(), d => Assert.StartsWith("http://shop.example/", d, StringComparison.Ordinal));
        Assert.NotEmpty(comparison.Differences());
    }
}
