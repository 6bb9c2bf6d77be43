namespace Maille.Kube.Tests.Validation;

/// <summary>YAML nested deeper than any Kubernetes object is refused while it is read, before a tree overflows the stack.</summary>
public sealed class DepthLimitedParserTests
{
    [Theory]
    [InlineData(200_000)]
    [InlineData(DepthLimitedParser.MaxDepth + 1)]
    public void FlowNestingDeeperThanTheLimit_IsAFormatErrorNamingTheSourceAndLine(int depth)
    {
        var error = Assert.Throws<FormatException>(() => ManifestDocument.Parse("body", "apiVersion: v1\nkind: Pod\nspec: " + new string('[', depth)));

        Assert.Equal($"body:3: not valid YAML: nested deeper than {DepthLimitedParser.MaxDepth} levels", error.Message);
    }

    [Fact]
    public void BlockNestingDeeperThanTheLimit_IsAFormatError()
    {
        var yaml = string.Concat(Enumerable.Range(0, DepthLimitedParser.MaxDepth + 5).Select(i => new string(' ', i) + "a:\n"));

        Assert.Throws<FormatException>(() => ManifestDocument.Parse("deep.yaml", yaml));
    }

    [Fact]
    public void NestingAtTheLimit_IsRead()
    {
        var yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: {x: " + new string('[', DepthLimitedParser.MaxDepth - 2) + new string(']', DepthLimitedParser.MaxDepth - 2) + "}\n";

        Assert.Single(ManifestDocument.Parse("deep.yaml", yaml));
    }

    [Fact]
    public void EveryManifestInTheRepository_IsWithinTheLimit()
    {
        var files = Directory.EnumerateFiles(Path.Combine(Maille.TestKit.Cluster.RepositoryRoot, "examples"), "*.yaml", SearchOption.AllDirectories).ToList();

        Assert.NotEmpty(files);
        Assert.All(files, f => new YamlDotNet.RepresentationModel.YamlStream().Load(new DepthLimitedParser(File.ReadAllText(f))));
    }
}
