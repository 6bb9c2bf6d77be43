using Maille.Kube;

namespace Maille.Kube.Tests.Validation;

/// <summary>Input nested deeper than any Kubernetes object is refused before a tree is built (which would overflow the stack).</summary>
public sealed class YamlDepthGuardTests
{
    [Theory]
    [InlineData(200_000)]
    [InlineData(YamlDepthGuard.MaxDepth + 1)]
    public void FlowNestingDeeperThanTheLimit_IsRefusedWithTheSourceAndLine(int depth)
    {
        var error = Assert.Throws<FormatException>(() => YamlDepthGuard.Check("body", "spec: " + new string('[', depth)));

        Assert.Equal($"body:1: nested deeper than {YamlDepthGuard.MaxDepth} levels", error.Message);
    }

    [Fact]
    public void BlockNestingDeeperThanTheLimit_IsRefused()
    {
        var yaml = string.Concat(Enumerable.Range(0, YamlDepthGuard.MaxDepth + 5).Select(i => new string(' ', i) + "a:\n"));

        Assert.Throws<FormatException>(() => YamlDepthGuard.Check("deep.yaml", yaml));
    }

    [Fact]
    public void EveryManifestInTheRepository_IsWithinTheLimit()
    {
        var files = Directory.EnumerateFiles(Path.Combine(Maille.TestKit.Cluster.RepositoryRoot, "examples"), "*.yaml", SearchOption.AllDirectories).ToList();

        Assert.NotEmpty(files);
        Assert.All(files, f => YamlDepthGuard.Check(f, File.ReadAllText(f)));
    }

    [Fact]
    public void TextThatIsNotYaml_IsAFormatError()
    {
        var error = Assert.Throws<FormatException>(() => YamlDepthGuard.Check("body", "a: [}{"));

        Assert.StartsWith("body:1: not valid YAML", error.Message, StringComparison.Ordinal);
    }
}
