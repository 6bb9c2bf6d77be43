using System.Collections.Frozen;
using System.Collections.Immutable;
using Maille.Kube;
using Maille.Kube.Fields;

namespace Maille.Lab.Api;

/// <summary>
/// What the API shows beyond the plan, as of one published state: each user object as it was written (so a GET shows
/// every field, not only the ones the engine models), their managed fields, the nodes that are down, and the
/// namespaces being deleted.
/// </summary>
internal sealed record ServedFacts
{
    public static ServedFacts None { get; } = new();

    /// <summary>The objects as the user wrote them, by key; an object the lab made (a Deployment's pods) has none.</summary>
    public IReadOnlyDictionary<ObjectKey, ManifestDocument> Written { get; init; } = FrozenDictionary<ObjectKey, ManifestDocument>.Empty;

    /// <summary>Nodes stopped, or that do not answer on the node network: NotReady.</summary>
    public IReadOnlySet<string> DownNodes { get; init; } = FrozenSet<string>.Empty;

    /// <summary>The managed fields of the objects written through the API, by key (server-side apply's owners).</summary>
    public ImmutableDictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>> Managed { get; init; } = ImmutableDictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>>.Empty;

    /// <summary>Namespaces being deleted, with the time their deletion was asked: phase Terminating.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> TerminatingNamespaces { get; init; } = FrozenDictionary<string, DateTimeOffset>.Empty;

    /// <summary>The restarts of the containers the lab supervises (its node agents' pods), by the pod's <c>namespace/name</c>.</summary>
    public IReadOnlyDictionary<string, ContainerRestarts> Restarts { get; init; } = FrozenDictionary<string, ContainerRestarts>.Empty;

    /// <summary>
    /// Whether <paramref name="next"/> says the same as this of every object: the very same collections (the lab makes
    /// new ones only when something in them changed), and the same nodes down. Then an object whose model did not change
    /// did not change at all (<see cref="ObjectVersions.Advance"/>).
    /// </summary>
    public bool Unchanged(ServedFacts next) =>
        ReferenceEquals(Written, next.Written) && ReferenceEquals(Managed, next.Managed) && ReferenceEquals(TerminatingNamespaces, next.TerminatingNamespaces)
        && DownNodes.SetEquals(next.DownNodes) && Restarts.Count == next.Restarts.Count
        && Restarts.All(r => next.Restarts.TryGetValue(r.Key, out var other) && r.Value == other);
}
