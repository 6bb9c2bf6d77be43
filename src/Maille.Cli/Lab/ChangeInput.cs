using Maille.Kube;

namespace Maille.Cli.Lab;

/// <summary>Reads <c>-f</c> inputs for the commands that change a running lab, checking each object's fields first.</summary>
internal static class ChangeInput
{
    /// <summary>
    /// The objects in <paramref name="paths"/>; null (having printed every problem with its file and line) when a file
    /// cannot be read or, with <paramref name="validate"/>, an object has an invalid field.
    /// </summary>
    public static IReadOnlyList<ManifestDocument>? ReadDocuments(CliContext context, IReadOnlyList<string> paths, bool validate)
    {
        var sources = ManifestFiles.Read(paths, context.Stdin, out var fileErrors);
        var failed = fileErrors.Count > 0;
        foreach (var error in fileErrors)
        {
            context.Stderr.WriteLine($"error: {error}");
        }

        if (validate)
        {
            var (_, diagnostics) = ManifestLoader.Load(sources);
            foreach (var diagnostic in diagnostics.Where(d => d.IsError))
            {
                context.Stderr.WriteLine($"error: {diagnostic}");
                failed = true;
            }
        }

        var documents = new List<ManifestDocument>();
        foreach (var source in sources)
        {
            try
            {
                documents.AddRange(ManifestDocument.Parse(source.Name, source.Text));
            }
            catch (FormatException e)
            {
                context.Stderr.WriteLine($"error: {e.Message}");
                failed = true;
            }
        }

        if (failed)
        {
            context.Stderr.WriteLine("error: nothing was changed");
            return null;
        }

        return documents;
    }
}
