using System.Runtime.CompilerServices;
using Maille.Model;

namespace Maille.Kube;

/// <summary>
/// Loads a running lab's desired state, a set of <see cref="ManifestDocument"/>s, into a <see cref="ManifestSet"/>,
/// converting each document once. Documents are immutable and a change replaces only the documents it touches, so the
/// next load converts those and reuses the rest: deleting one pod of a 10,000-Service lab reads nothing again. The
/// result is what <see cref="ManifestLoader"/> gives for the same documents in the same order.
/// </summary>
public sealed class DocumentLoadCache
{
    private readonly ConditionalWeakTable<ManifestDocument, ManifestLoader> _loaded = new();

    /// <summary>The documents' objects and diagnostics, in the documents' order.</summary>
    public (ManifestSet Manifests, IReadOnlyList<Diagnostic> Diagnostics) Load(IEnumerable<ManifestDocument> documents)
    {
        var all = documents as IReadOnlyList<ManifestDocument> ?? [.. documents];
        var missing = all.Where(d => !_loaded.TryGetValue(d, out _)).ToList();
        var converted = new ManifestLoader[missing.Count];
        Parallel.For(0, missing.Count, new ParallelOptions { MaxDegreeOfParallelism = missing.Count < 64 ? 1 : -1 }, i =>
        {
            var loader = new ManifestLoader();
            loader.AddDocument(missing[i].Source, missing[i].Root, missing[i].ToYaml());
            converted[i] = loader;
        });
        for (var i = 0; i < missing.Count; i++)
        {
            _loaded.AddOrUpdate(missing[i], converted[i]);
        }

        var result = new ManifestLoader();
        foreach (var document in all)
        {
            result.Append(_loaded.TryGetValue(document, out var loaded) ? loaded : throw new InvalidOperationException($"{document.Key} was not loaded"));
        }

        return (result.Build(), result.Diagnostics);
    }
}
