using Maille.TestKit;

namespace Maille.Kube.Tests.Validation;

/// <summary>
/// Golden cases: each folder under <c>testassets/validation</c> holds one or more manifest files and
/// <c>expected.txt</c>, the exact error lines the CLI prints for them (after <c>error: </c>), in order. Files are loaded
/// in ordinal order and reported by their own name, so each expected line carries file, line, object and field.
/// When a case fails, the message shows every actual line; <c>MAILLE_UPDATE_GOLDEN=1</c> writes them to <c>expected.txt</c>.
/// </summary>
public sealed class GoldenValidationTests
{
    private static GoldenRoot Root => Goldens.ValidationErrors;

    public static TheoryData<string> Cases() => [.. Root.CaseFolders()];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_reports_exactly_the_expected_errors(string name)
    {
        var dir = Root.PathOf(name);
        var sources = Directory.EnumerateFiles(dir)
            .Where(f => Path.GetExtension(f) is ".yaml" or ".yml" or ".json")
            .Order(StringComparer.Ordinal)
            .Select(f => new ManifestSource(Path.GetFileName(f), File.ReadAllText(f)))
            .ToList();
        Assert.NotEmpty(sources);
        Assert.NotEmpty(Root.ReadLines(Path.Combine(name, "expected.txt")));

        var result = Cluster.Plan(sources);
        var actual = result.Errors.Select(e => e.ToString()).ToList();

        Root.AssertLines(Path.Combine(name, "expected.txt"), actual);
        Assert.False(result.Succeeded);
        Assert.Null(result.Cluster);
    }

    [Fact]
    public void Every_case_folder_has_input_and_expected_errors()
    {
        var cases = Root.CaseFolders();
        Assert.True(cases.Count >= 30, $"only {cases.Count} golden cases found under {Root.Folder}");
        Assert.All(cases, name => Assert.True(File.Exists(Root.PathOf(Path.Combine(name, "expected.txt"))), name + " has no expected.txt"));
    }
}
