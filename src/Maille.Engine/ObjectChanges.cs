namespace Maille.Engine;

/// <summary>
/// Objects of one kind put (added, or in place of the one with the same namespace and name) and removed (by
/// <c>namespace/name</c>): what a node agent learns from one batch of watch events.
/// </summary>
public sealed record ObjectChanges<T>(IReadOnlyList<T> Put, IReadOnlyCollection<string> Removed)
{
    public static ObjectChanges<T> None { get; } = new([], []);

    public bool IsEmpty => Put.Count == 0 && Removed.Count == 0;
}
