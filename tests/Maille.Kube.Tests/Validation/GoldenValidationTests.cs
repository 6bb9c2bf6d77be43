using Maille.Kube;
using Maille.TestKit;

namespace Maille.Kube.Tests.Validation;

/// <summary>
/// Golden cases: each folder under <c>testassets/validation</c> holds one or more manifest files and
/// <c>expected.txt</c>, the exact error lines the CLI prints for them (after <c>error: </c>), in order. Files are loaded
/// in ordinal order and reported by their own name, so each expected line carries file, line, object and field.
/// When a case fails, the actual lines are written to <c>actual.txt</c> beside the copied case in the test output.
/// </summary>
public sealed class GoldenValidationTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "testassets", "validation");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.EnumerateDirectories(Root).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(dir));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_reports_exactly_the_expected_errors(string name)
    {
        var dir = Path.Combine(Root, name);
        var sources = Directory.EnumerateFiles(dir)
            .Where(f => Path.GetExtension(f) is ".yaml" or ".yml" or ".json")
            .Order(StringComparer.Ordinal)
            .Select(f => new ManifestSource(Path.GetFileName(f), File.ReadAllText(f)))
            .ToList();
        Assert.NotEmpty(sources);
        var expected = File.ReadAllLines(Path.Combine(dir, "expected.txt")).Where(l => l.Length > 0).ToList();
        Assert.NotEmpty(expected);

        var result = Cluster.Plan(sources);
        var actual = result.Errors.Select(e => e.ToString()).ToList();
        var actualFile = Path.Combine(dir, "actual.txt");
        if (expected.SequenceEqual(actual, StringComparer.Ordinal))
        {
            File.Delete(actualFile);
        }
        else
        {
            File.WriteAllLines(actualFile, actual);
        }

        Assert.Equal(expected, actual);
        Assert.False(result.Succeeded);
        Assert.Null(result.Cluster);
    }

    [Fact]
    public void Every_case_folder_has_input_and_expected_errors()
    {
        var cases = Directory.EnumerateDirectories(Root).ToList();
        Assert.True(cases.Count >= 30, $"only {cases.Count} golden cases found under {Root}");
        Assert.All(cases, dir => Assert.True(File.Exists(Path.Combine(dir, "expected.txt")), dir + " has no expected.txt"));
    }
}
