using Maille.TestKit;

namespace Maille.Cli.Tests;

/// <summary>
/// Golden cases: each folder under <c>testassets/golden</c> holds <c>input.yaml</c> and any number of
/// <c>*.expected</c> files whose first line is <c># maille ARGS</c> and whose rest is the exact standard output of
/// <c>maille ARGS -f input.yaml</c>. Run with <c>MAILLE_UPDATE_GOLDEN=1</c> to rewrite them after a deliberate change.
/// </summary>
public sealed class GoldenTests
{
    private static string GoldenRoot => Path.Combine(Cluster.RepositoryRoot, "tests", "Maille.Cli.Tests", "testassets", "golden");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(GoldenRoot, "*.expected", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(GoldenRoot, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Output_matches_the_golden_file(string expectedFile)
    {
        var path = Path.Combine(GoldenRoot, expectedFile);
        var lines = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n', 2);
        Assert.StartsWith("# maille ", lines[0], StringComparison.Ordinal);
        var args = lines[0]["# maille ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["-f", Path.Combine(Path.GetDirectoryName(path)!, "input.yaml")]).ToArray();
        var (code, stdout, stderr) = CliRunner.Run(args);
        Assert.True(code == 0, $"exit {code}: {stderr}");
        if (Environment.GetEnvironmentVariable("MAILLE_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, lines[0] + "\n" + stdout);
            return;
        }

        Assert.Equal(lines.Length > 1 ? lines[1] : "", stdout);
    }

    [Fact]
    public void There_are_golden_cases()
    {
        Assert.NotEmpty(Cases());
    }
}
