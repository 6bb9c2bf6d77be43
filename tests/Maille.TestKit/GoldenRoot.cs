namespace Maille.TestKit;

/// <summary>
/// One folder of golden files in the repository (<see cref="Goldens.All"/> lists them; the README's testing section
/// names each). A comparison reads the file from the source tree, never a copy in the build output, so that
/// <c>MAILLE_UPDATE_GOLDEN=1</c> rewrites the files a reviewer diffs.
/// </summary>
internal sealed class GoldenRoot(string relativeFolder, string holds)
{
    /// <summary>The folder relative to the repository root, with forward slashes, as the README writes it.</summary>
    public string RelativeFolder { get; } = relativeFolder;

    /// <summary>What the folder holds, in a few words.</summary>
    public string Holds { get; } = holds;

    public string Folder => Path.Combine(Cluster.RepositoryRoot, RelativeFolder);

    public string PathOf(string relativeFile) => Path.Combine(Folder, relativeFile);

    /// <summary>Every file matching <paramref name="pattern"/> under the folder, relative to it, in ordinal order.</summary>
    /// <remarks>Strings, not TheoryData: this project compiles against another xunit.core than the test projects.</remarks>
    public IReadOnlyList<string> Files(string pattern) =>
        [.. Directory.EnumerateFiles(Folder, pattern, SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Folder, f)).Order(StringComparer.Ordinal)];

    /// <summary>The case folders directly under the folder, by name, in ordinal order.</summary>
    public IReadOnlyList<string> CaseFolders() =>
        [.. Directory.EnumerateDirectories(Folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    /// <summary>A golden file's text with <c>\n</c> line ends.</summary>
    public string Read(string relativeFile) => File.ReadAllText(PathOf(relativeFile)).Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>A golden file's lines, blank ones left out.</summary>
    public IReadOnlyList<string> ReadLines(string relativeFile) => [.. Read(relativeFile).Split('\n').Where(l => l.Length > 0)];

    /// <summary>
    /// Asserts that <paramref name="actual"/> is the golden file's text, after its first line when
    /// <paramref name="header"/> is given (that line says how the text was made, and must be <paramref name="header"/>).
    /// With <c>MAILLE_UPDATE_GOLDEN=1</c> the file is written first.
    /// </summary>
    public void AssertMatches(string relativeFile, string actual, string? header = null)
    {
        var path = PathOf(relativeFile);
        if (Goldens.Updating)
        {
            File.WriteAllText(path, header is null ? actual : header + "\n" + actual);
        }

        Assert.True(File.Exists(path), $"no golden file {path}; run with {Goldens.UpdateVariable}=1 and review it");
        var expected = Read(relativeFile);
        if (header is not null)
        {
            var lines = expected.Split('\n', 2);
            Assert.Equal(header, lines[0]);
            expected = lines.Length > 1 ? lines[1] : "";
        }

        Compare(relativeFile, () => Assert.Equal(expected, actual));
    }

    /// <summary>Asserts that <paramref name="actual"/> are the golden file's lines (blank ones left out); written first under <c>MAILLE_UPDATE_GOLDEN=1</c>.</summary>
    public void AssertLines(string relativeFile, IReadOnlyList<string> actual)
    {
        if (Goldens.Updating)
        {
            File.WriteAllLines(PathOf(relativeFile), actual);
        }

        var expected = ReadLines(relativeFile);
        Compare(relativeFile, () => Assert.Equal(expected, actual), "actual lines:\n" + string.Join("\n", actual) + "\n");
    }

    private void Compare(string relativeFile, Action assertion, string shown = "")
    {
        try
        {
            assertion();
        }
        catch (Xunit.Sdk.XunitException e)
        {
            throw new Xunit.Sdk.XunitException(
                $"{RelativeFolder}/{relativeFile.Replace('\\', '/')} differs (after a deliberate change, {Goldens.UpdateVariable}=1 rewrites it; review the diff)\n{shown}{e.Message}");
        }
    }
}
