using System.Collections.Immutable;
using Maille.Kube;
using Maille.Model;

namespace Maille.TestKit;

/// <summary>
/// What one live change does to the manifests of a lab, for the engine's side of a two-step scenario: the arguments of
/// the <c>maille</c> command a user runs on the lab (<c>apply -f FILE</c>, <c>delete networkpolicy NAME… -n NS</c>,
/// <c>label pod|ns NAME key=value… key-… [-n NS] [--overwrite]</c>), applied to a <see cref="ManifestSet"/> with kubectl's
/// meaning. A label that already has another value needs <c>--overwrite</c>, as on the lab, so a scenario that would
/// be refused live is refused here too.
/// </summary>
internal static class PlaygroundChange
{
    public static ManifestSet Apply(ManifestSet manifests, IReadOnlyList<string> arguments)
    {
        var (positional, ns, file, overwrite) = Parse(arguments);
        ns ??= "default";
        return positional switch
        {
            ["apply"] when file is not null => ApplyFile(manifests, file),
            ["delete", var kind, .. var names] when IsKind(kind, "NetworkPolicy") && names.Length > 0 =>
                manifests with { NetworkPolicies = Without(manifests.NetworkPolicies, ns, names) },
            ["label", var kind, var name, .. var labels] when IsKind(kind, "Pod") && labels.Length > 0 =>
                manifests with { Pods = new(manifests.Pods.Select(p => p.Namespace == ns && p.Name == name ? p with { Meta = Relabel(p.Meta, labels, overwrite) } : p)) },
            ["label", var kind, var name, .. var labels] when IsKind(kind, "Namespace") && labels.Length > 0 =>
                manifests with { Namespaces = new(manifests.Namespaces.Select(n => n.Name == name ? n with { Meta = Relabel(n.Meta, labels, overwrite) } : n)) },
            _ => throw new NotSupportedException($"not a change this helper knows: maille {string.Join(' ', arguments)}"),
        };
    }

    /// <summary>kubectl-style arguments: <c>-n</c>, <c>-f</c> and <c>--overwrite</c> anywhere, the rest in order.</summary>
    private static (string[] Positional, string? Namespace, string? File, bool Overwrite) Parse(IReadOnlyList<string> arguments)
    {
        var positional = new List<string>();
        string? ns = null;
        string? file = null;
        var overwrite = false;
        for (var i = 0; i < arguments.Count; i++)
        {
            switch (arguments[i])
            {
                case "-n" or "--namespace":
                    ns = arguments[++i];
                    break;
                case "-f" or "--filename":
                    file = arguments[++i];
                    break;
                case "--overwrite":
                    overwrite = true;
                    break;
                default:
                    positional.Add(arguments[i]);
                    break;
            }
        }

        return ([.. positional], ns, file, overwrite);
    }

    private static bool IsKind(string name, string kind) => KindNames.Find(name)?.Kind == kind;

    /// <summary>Creates or replaces (by namespace and name) every NetworkPolicy of <paramref name="file"/>.</summary>
    private static ManifestSet ApplyFile(ManifestSet manifests, string file)
    {
        var (applied, diagnostics) = ManifestLoader.Load([new ManifestSource(file, File.ReadAllText(file))]);
        // Records compare by content: anything but policies makes the set differ from an empty one holding them.
        if (diagnostics.Count > 0 || applied != ManifestSet.Empty with { NetworkPolicies = applied.NetworkPolicies })
        {
            throw new NotSupportedException($"{file}: only valid NetworkPolicies can be applied here ({string.Join("; ", diagnostics)})");
        }

        var kept = manifests.NetworkPolicies.Where(p => !applied.NetworkPolicies.Any(a => a.Meta.QualifiedName == p.Meta.QualifiedName));
        return manifests with { NetworkPolicies = new(kept.Concat(applied.NetworkPolicies)) };
    }

    /// <summary>The policies without those named; a name that is not there fails, as <c>maille delete</c> does (NotFound).</summary>
    private static EquatableArray<NetworkPolicy> Without(EquatableArray<NetworkPolicy> policies, string ns, string[] names)
    {
        var missing = names.Where(n => !policies.Any(p => p.Namespace == ns && p.Meta.Name == n)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"networkpolicies not found in {ns}: {string.Join(", ", missing)}");
        }

        return new(policies.Where(p => !(p.Namespace == ns && names.Contains(p.Meta.Name))));
    }

    private static ObjectMeta Relabel(ObjectMeta meta, string[] changes, bool overwrite)
    {
        var labels = meta.Labels.ToImmutableSortedDictionary(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            if (change.EndsWith('-') && !change.Contains('=', StringComparison.Ordinal))
            {
                labels = labels.Remove(change[..^1]);
                continue;
            }

            var (key, value) = (change[..change.IndexOf('=', StringComparison.Ordinal)], change[(change.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            if (!overwrite && labels.TryGetValue(key, out var old) && old != value)
            {
                throw new InvalidOperationException($"{meta.QualifiedName}: '{key}' already has a value ({old}), and --overwrite is false");
            }

            labels = labels.SetItem(key, value);
        }

        return meta with { Labels = Labels.From(labels) };
    }
}
