namespace Maille.Kube;

/// <summary>How the API and kubectl name one kind: group, kind, plural, singular and short names, scope.</summary>
public sealed record KindName(string Group, string Version, string Kind, string Plural, bool Namespaced, params string[] ShortNames)
{
    public string Singular => Kind.ToLowerInvariant();

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public bool Matches(string name) =>
        string.Equals(name, Plural, StringComparison.OrdinalIgnoreCase) || string.Equals(name, Singular, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, Kind, StringComparison.OrdinalIgnoreCase) || ShortNames.Contains(name, StringComparer.OrdinalIgnoreCase)
        || string.Equals(name, $"{Plural}.{Group}", StringComparison.OrdinalIgnoreCase) || string.Equals(name, $"{Singular}.{Group}", StringComparison.OrdinalIgnoreCase);

    public ObjectKey Key(string? ns, string name) => new(Group, Kind, Namespaced ? (string.IsNullOrEmpty(ns) ? "default" : ns) : "", name);
}
