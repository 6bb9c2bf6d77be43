namespace Maille.Model;

/// <summary>
/// An HTTPRoute rule's <c>retry</c> (GEP-1731, the Gateway API's experimental channel): a request that got one of
/// <see cref="Codes"/> (400–599), or whose connection failed, is sent again, at most <see cref="Attempts"/> more times,
/// waiting <see cref="Backoff"/> (a Gateway API duration, as written) before each retry.
/// </summary>
public sealed record HttpRouteRetry
{
    public EquatableArray<int> Codes { get; init; } = EquatableArray<int>.Empty;

    /// <summary>The number of retries after the first attempt; null when unset (then Maille retries once, see docs/mesh.md).</summary>
    public int? Attempts { get; init; }

    public string? Backoff { get; init; }
}
