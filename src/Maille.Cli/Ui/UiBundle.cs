using System.Collections.Frozen;
using System.Reflection;
using Microsoft.AspNetCore.StaticFiles;

namespace Maille.Cli.Ui;

/// <summary>
/// The page's built files, embedded in the maille assembly by the build (src/Maille.Cli/UiBundle.targets runs
/// <c>vite build</c> on ui/) as resources named <c>ui/PATH</c>.
/// </summary>
internal static class UiBundle
{
    private const string Prefix = "ui/";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>Every file of the bundle by its path under the page's root (<c>index.html</c>, <c>assets/…</c>).</summary>
    public static FrozenSet<string> Files { get; } = typeof(UiBundle).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..])
        .ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The file's bytes and content type, or null when the bundle has no such file.</summary>
    public static (Stream Content, string ContentType)? Open(string path)
    {
        if (!Files.Contains(path) || typeof(UiBundle).Assembly.GetManifestResourceStream(Prefix + path) is not { } stream)
        {
            return null;
        }

        return (stream, ContentTypes.TryGetContentType(path, out var type) ? type : "application/octet-stream");
    }

    /// <summary>The assembly the bundle is read from, for messages.</summary>
    public static Assembly Assembly => typeof(UiBundle).Assembly;
}
