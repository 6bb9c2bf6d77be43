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

    /// <summary>
    /// The number of the desired state <see cref="Written"/> and <see cref="Managed"/> come from
    /// (<see cref="Labs.LabManifests.Version"/>); 0 when not known.
    /// </summary>
    public long WrittenVersion { get; init; }

    /// <summary>How that desired state was made from an earlier one, when known (<see cref="Labs.LabManifests.ChangedFrom"/>).</summary>
    public Labs.LabManifestsChange? WrittenChange { get; init; }

    /// <summary>
    /// The objects whose written document or managed fields may differ between this and <paramref name="next"/>: none
    /// when both come from the same desired state, the change's objects when <paramref name="next"/>'s was made from
    /// this one's; null when not known (each object is then compared, <see cref="ApiView.FactsUnchangedSince"/>).
    /// </summary>
    public IReadOnlySet<ObjectKey>? WrittenKeysChangedBy(ServedFacts next) =>
        WrittenVersion == 0 || next.WrittenVersion == 0 ? null
        : WrittenVersion == next.WrittenVersion ? System.Collections.Frozen.FrozenSet<ObjectKey>.Empty
        : next.WrittenChange is { } change && change.From == WrittenVersion ? change.Keys
        : null;

    /// <summary>The managed fields of the objects written through the API, by key (server-side apply's owners).</summary>
    public ImmutableDictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>> Managed { get; init; } = ImmutableDictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>>.Empty;

    /// <summary>Namespaces being deleted, with the time their deletion was asked: phase Terminating.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> TerminatingNamespaces { get; init; } = FrozenDictionary<string, DateTimeOffset>.Empty;

    /// <summary>The restarts of the containers the lab supervises (its node agents' pods), by the pod's <c>namespace/name</c>.</summary>
    public IReadOnlyDictionary<string, ContainerRestarts> Restarts { get; init; } = FrozenDictionary<string, ContainerRestarts>.Empty;

    /// <summary>
    /// Whether <paramref name="next"/> says the same as this of what is not an object's own: the same nodes down, the
    /// same namespaces being deleted (the very same collection: the lab makes a new one only when something in it
    /// changed), the same restarts. Then an object whose model did not change did not change, unless its own written
    /// text, managed fields or template did (<see cref="ApiView.FactsUnchangedSince"/>, <see cref="ObjectVersions.Advance"/>).
    /// </summary>
    public bool UnchangedBesidesObjects(ServedFacts next) =>
        ReferenceEquals(TerminatingNamespaces, next.TerminatingNamespaces)
        && DownNodes.SetEquals(next.DownNodes) && Restarts.Count == next.Restarts.Count
        && Restarts.All(r => next.Restarts.TryGetValue(r.Key, out var other) && r.Value == other);
}
