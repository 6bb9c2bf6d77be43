namespace Maille.Model;

/// <summary>
/// <c>to[].operation</c>: every field written must match. Ports are the destination (container) port; methods, paths and
/// hosts are HTTP attributes, seen only by a waypoint (<see cref="HasL7"/>).
/// </summary>
public sealed record AuthorizationOperation
{
    public EquatableArray<int> Ports { get; init; } = EquatableArray<int>.Empty;

    public EquatableArray<int> NotPorts { get; init; } = EquatableArray<int>.Empty;

    public EquatableArray<string> Methods { get; init; } = EquatableArray<string>.Empty;

    public EquatableArray<string> NotMethods { get; init; } = EquatableArray<string>.Empty;

    public EquatableArray<string> Paths { get; init; } = EquatableArray<string>.Empty;

    public EquatableArray<string> NotPaths { get; init; } = EquatableArray<string>.Empty;

    public EquatableArray<string> Hosts { get; init; } = EquatableArray<string>.Empty;

    public EquatableArray<string> NotHosts { get; init; } = EquatableArray<string>.Empty;

    public bool HasL7 => !Methods.IsEmpty || !NotMethods.IsEmpty || !Paths.IsEmpty || !NotPaths.IsEmpty || !Hosts.IsEmpty || !NotHosts.IsEmpty;

    /// <summary>The HTTP fields written, in Istio's order, for messages.</summary>
    public IEnumerable<string> L7Fields()
    {
        if (!Hosts.IsEmpty)
        {
            yield return "hosts";
        }

        if (!NotHosts.IsEmpty)
        {
            yield return "notHosts";
        }

        if (!Methods.IsEmpty)
        {
            yield return "methods";
        }

        if (!NotMethods.IsEmpty)
        {
            yield return "notMethods";
        }

        if (!Paths.IsEmpty)
        {
            yield return "paths";
        }

        if (!NotPaths.IsEmpty)
        {
            yield return "notPaths";
        }
    }
}
