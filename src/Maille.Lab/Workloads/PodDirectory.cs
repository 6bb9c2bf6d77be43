using System.Collections.Concurrent;

namespace Maille.Lab.Workloads;

/// <summary>The pods the server answers for, with the readiness each one reports on <c>/healthz</c>.</summary>
internal sealed class PodDirectory
{
    private readonly ConcurrentDictionary<PodId, bool> _ready = new();

    public int Count => _ready.Count;

    public void Set(PodId pod, bool ready) => _ready[pod] = ready;

    public bool Remove(PodId pod) => _ready.TryRemove(pod, out _);

    public bool Contains(PodId pod) => _ready.ContainsKey(pod);

    /// <summary>False for a pod that is not ready and for one that is no longer served.</summary>
    public bool IsReady(PodId pod) => _ready.TryGetValue(pod, out var ready) && ready;
}
