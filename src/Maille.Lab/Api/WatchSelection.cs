namespace Maille.Lab.Api;

/// <summary>
/// The objects a selective watch's client has (keys), so that each change is sent as the API server's watch cache
/// sends it, judged by the object before and after: one entering the selection is ADDED, one staying in it MODIFIED,
/// one leaving it (relabelled, or a pod whose phase changed) DELETED, carrying the object as it is now; a change of an
/// object the client never had and still does not select is not sent. One per watch, used by its one loop.
/// </summary>
internal sealed class WatchSelection
{
    private readonly HashSet<string> _held = new(StringComparer.Ordinal);

    public void AddRange(IEnumerable<string> keys) => _held.UnionWith(keys);

    /// <returns>The event type to send for <paramref name="change"/>, or null to send nothing.</returns>
    public string? Judge(ApiChange change, bool matchesNow)
    {
        var key = change.Meta.QualifiedName;
        if (change.Type == "DELETED" || !matchesNow)
        {
            return _held.Remove(key) ? "DELETED" : null;
        }

        return _held.Add(key) ? "ADDED" : "MODIFIED";
    }
}
