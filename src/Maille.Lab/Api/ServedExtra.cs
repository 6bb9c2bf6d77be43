using System.Collections.Immutable;
using Maille.Kube.Fields;

namespace Maille.Lab.Api;

/// <summary>
/// What, besides its model, makes a served object what it is: the text the user wrote (the same string instance while
/// the document is unchanged, so comparing is mostly a reference check), or for an object the lab made from a
/// workload's template, that workload's text; a node's readiness, a namespace's deletion; its managed fields (a change
/// of owners alone changes the object, as on the API server, where they are part of the stored object); a node lease's
/// last renewal; a supervised container's restarts; for a ClusterNetworkPolicy, the lab's nodes that are not ready
/// (<see cref="NotReadyNodes"/>, comma-separated, in order), whose conditions say so.
/// Two equal values with equal models are the same object, unchanged (<see cref="ObjectVersions"/>).
/// </summary>
internal sealed record ServedExtra(string? Written, string? Template, bool? NodeReady, DateTimeOffset? Terminating, ImmutableArray<ManagedFieldsEntry> Managed = default, DateTimeOffset? Renewed = null, Kube.ContainerRestarts? Restarts = null, string? NotReadyNodes = null)
{
    public static ServedExtra None { get; } = new(null, null, null, null);

    public bool Equals(ServedExtra? other) =>
        other is not null && Written == other.Written && Template == other.Template && NodeReady == other.NodeReady && Terminating == other.Terminating
        && Renewed == other.Renewed && Restarts == other.Restarts && NotReadyNodes == other.NotReadyNodes && SameEntries(Managed, other.Managed);

    public override int GetHashCode() => HashCode.Combine(Written, Template, NodeReady, Terminating, Renewed, Restarts, Managed.IsDefaultOrEmpty ? 0 : Managed.Length);

    private static bool SameEntries(ImmutableArray<ManagedFieldsEntry> a, ImmutableArray<ManagedFieldsEntry> b) =>
        (a.IsDefaultOrEmpty && b.IsDefaultOrEmpty) || (!a.IsDefault && !b.IsDefault && (a == b || a.SequenceEqual(b)));
}
