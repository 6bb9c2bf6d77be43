namespace Maille.Model;

/// <summary>
/// One rule of an AuthorizationPolicy: it matches when one of its sources matches (or it has none) and one of its
/// operations matches (or it has none).
/// </summary>
public sealed record AuthorizationRule
{
    public EquatableArray<AuthorizationSource> From { get; init; } = EquatableArray<AuthorizationSource>.Empty;

    public EquatableArray<AuthorizationOperation> To { get; init; } = EquatableArray<AuthorizationOperation>.Empty;

    /// <summary>Whether an operation names HTTP attributes (methods, paths, hosts and their not forms), which only a waypoint sees.</summary>
    public bool HasL7 => To.Any(o => o.HasL7);
}
