namespace Maille.Kube.Live;

/// <summary>How an informer waits after a failure: doubling from <see cref="InitialBackoff"/> up to <see cref="MaxBackoff"/>, with up to a fifth added at random so a crowd of agents does not retry in step.</summary>
public sealed record InformerOptions
{
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Whether the cache keeps each object, or only its key and version (enough to report a relist's difference): a
    /// consumer that keeps its own form of every object (a node agent's model) does not hold two copies. Without the
    /// objects, <see cref="ObjectInformer{T, TList}.Snapshot"/> is refused and a deletion found by a relist reports the
    /// last object as null.
    /// </summary>
    public bool KeepObjects { get; init; } = true;

    /// <summary>The wait after the <paramref name="failures"/>th failure in a row (1 for the first).</summary>
    public TimeSpan Backoff(int failures)
    {
        var doubled = InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 16));
        var capped = Math.Min(doubled, MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (1 + (Random.Shared.NextDouble() / 5)));
    }
}
