using Maille.Model;

namespace Maille.Engine.Workloads;

/// <summary>
/// When each pod last became Ready (by <c>namespace/name</c>) and the time now: a Ready pod is available once it has
/// been Ready for <c>minReadySeconds</c>. A pod whose time is not known has been Ready since before anyone looked.
/// </summary>
public sealed record PodAvailability(IReadOnlyDictionary<string, DateTimeOffset> ReadySince, DateTimeOffset Now)
{
    public bool IsAvailable(Pod pod, int minReadySeconds) =>
        pod.Status.Ready == true && (minReadySeconds <= 0 || !ReadySince.TryGetValue(pod.QualifiedName, out var since) || Now >= since.AddSeconds(minReadySeconds));

    /// <summary>
    /// The next time a Ready pod of <paramref name="pods"/> becomes available, or null when none waits: a controller
    /// looks again then.
    /// </summary>
    public DateTimeOffset? NextAvailable(IEnumerable<Pod> pods, int minReadySeconds) =>
        minReadySeconds <= 0 ? null : pods.Where(p => p.Status.Ready == true && ReadySince.TryGetValue(p.QualifiedName, out var since) && Now < since.AddSeconds(minReadySeconds))
            .Select(p => (DateTimeOffset?)ReadySince[p.QualifiedName].AddSeconds(minReadySeconds)).Min();
}
