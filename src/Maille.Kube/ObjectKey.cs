namespace Maille.Kube;

/// <summary>
/// Identifies an object as the API server does: API group, kind, namespace (empty for cluster-scoped kinds) and name.
/// Versions are not part of it: <c>apps/v1</c> and a later <c>apps/v2</c> Deployment are the same object.
/// </summary>
public sealed record ObjectKey(string Group, string Kind, string Namespace, string Name) : IComparable<ObjectKey>
{
    /// <summary>kubectl's way of naming it: <c>deployment.apps/web</c>, <c>pod/web-0</c>.</summary>
    public string Display => Group.Length == 0 ? $"{Kind.ToLowerInvariant()}/{Name}" : $"{Kind.ToLowerInvariant()}.{Group}/{Name}";

    public int CompareTo(ObjectKey? other) => other is null ? 1 : string.CompareOrdinal(Sortable, other.Sortable);

    public static bool operator <(ObjectKey? left, ObjectKey? right) => Compare(left, right) < 0;

    public static bool operator <=(ObjectKey? left, ObjectKey? right) => Compare(left, right) <= 0;

    public static bool operator >(ObjectKey? left, ObjectKey? right) => Compare(left, right) > 0;

    public static bool operator >=(ObjectKey? left, ObjectKey? right) => Compare(left, right) >= 0;

    private static int Compare(ObjectKey? left, ObjectKey? right) => left is null ? (right is null ? 0 : -1) : left.CompareTo(right);

    private string Sortable => $"{Namespace}\0{Group}\0{Kind}\0{Name}";

    public override string ToString() => Namespace.Length == 0 ? Display : $"{Namespace}/{Display}";
}
