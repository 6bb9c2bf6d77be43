namespace Maille.Kube;

/// <summary>
/// Expands <c>-f</c> arguments: files as given, folders recursively (<c>.yaml</c>, <c>.yml</c>, <c>.json</c>, in ordinal
/// order so that output never depends on the file system), and <c>-</c> for standard input.
/// </summary>
public static class ManifestFiles
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    public static IReadOnlyList<ManifestSource> Read(IEnumerable<string> paths, TextReader stdin, out IReadOnlyList<string> errors)
    {
        var sources = new List<ManifestSource>();
        var problems = new List<string>();
        foreach (var path in paths)
        {
            if (path == "-")
            {
                sources.Add(new ManifestSource("-", stdin.ReadToEnd()));
            }
            else if (Directory.Exists(path))
            {
                var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .OrderBy(f => f, StringComparer.Ordinal)
                    .ToList();
                if (files.Count == 0)
                {
                    problems.Add($"{path}: the folder holds no .yaml, .yml or .json file");
                }

                sources.AddRange(files.Select(f => new ManifestSource(f, File.ReadAllText(f))));
            }
            else if (File.Exists(path))
            {
                sources.Add(new ManifestSource(path, File.ReadAllText(path)));
            }
            else
            {
                problems.Add($"{path}: no such file or folder");
            }
        }

        errors = problems;
        return sources;
    }
}
