using Maille.TestKit;

namespace Maille.Cli.Tests;

/// <summary>
/// The golden folders are known in one place (<see cref="Goldens.All"/>), and the README's testing section names every
/// one, so a reader learns where each expected output lives and what <c>MAILLE_UPDATE_GOLDEN=1</c> rewrites.
/// </summary>
public sealed class GoldenRootTests
{
    [Fact]
    public void The_READMEs_testing_section_names_every_golden_root()
    {
        var readme = File.ReadAllText(Path.Combine(Cluster.RepositoryRoot, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var start = readme.IndexOf("\n## Tests\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no \"## Tests\" section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? readme[start..] : readme[start..end];

        Assert.All(Goldens.All, root => Assert.Contains($"`{root.RelativeFolder}/`", section, StringComparison.Ordinal));
        Assert.Contains(Goldens.UpdateVariable + "=1", section, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_golden_folder_under_tests_is_a_known_root_and_every_root_holds_files()
    {
        var tests = Path.Combine(Cluster.RepositoryRoot, "tests");
        var found = Directory.EnumerateDirectories(tests, "*", SearchOption.AllDirectories)
            .Select(d => Path.GetRelativePath(Cluster.RepositoryRoot, d).Replace('\\', '/'))
            .Where(d => !d.Contains("/bin/", StringComparison.Ordinal) && !d.Contains("/obj/", StringComparison.Ordinal))
            .Where(d => Path.GetFileName(d) == "golden" || Path.GetFileName(Path.GetDirectoryName(d)) == "testassets")
            .Order(StringComparer.Ordinal);

        Assert.Equal(found, Goldens.All.Select(r => r.RelativeFolder).Order(StringComparer.Ordinal));
        Assert.All(Goldens.All, root => Assert.NotEmpty(root.Files("*")));
    }
}
