using Maille.TestKit;

namespace Maille.Cli.Tests;

/// <summary>
/// Golden cases: each folder under <c>testassets/golden</c> holds <c>input.yaml</c> and any number of
/// <c>*.expected</c> files whose first line is <c># maille ARGS</c> and whose rest is the exact standard output of
/// <c>maille ARGS -f input.yaml</c>. Run with <c>MAILLE_UPDATE_GOLDEN=1</c> to rewrite them after a deliberate change.
/// </summary>
public sealed class GoldenTests
{
    public static TheoryData<string> Cases() => [.. Goldens.CliOutput.Files("*.expected")];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Output_matches_the_golden_file(string expectedFile)
    {
        var command = Goldens.CliOutput.Read(expectedFile).Split('\n', 2)[0];
        Assert.StartsWith("# maille ", command, StringComparison.Ordinal);
        var args = command["# maille ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["-f", Path.Combine(Path.GetDirectoryName(Goldens.CliOutput.PathOf(expectedFile))!, "input.yaml")]).ToArray();
        var (code, stdout, stderr) = CliRunner.Run(args);
        Assert.True(code == 0, $"exit {code}: {stderr}");

        Goldens.CliOutput.AssertMatches(expectedFile, stdout, header: command);
    }

    [Fact]
    public void There_are_golden_cases()
    {
        Assert.NotEmpty(Cases());
    }
}
