using System.Globalization;
using Maille.Model;

namespace Maille.Engine.Workloads;

/// <summary>
/// A StatefulSet's or DaemonSet's revisions: the ControllerRevisions it owns, the one its template is now (the update
/// revision), and the revision each of its pods was made from. A lab's pods are planned from their set, not stored, so
/// the set records its pods' revisions (<see cref="PodRevisionsAnnotation"/>) as the real controllers read them from
/// their pods' <c>controller-revision-hash</c> labels.
/// </summary>
public static class SetRevisions
{
    /// <summary>
    /// The annotation in which a lab's StatefulSet or DaemonSet records its pods' revisions: comma-separated, a
    /// StatefulSet's by ordinal (<c>web-6d9f7c5b8</c>, with <c>@</c> and the Unix time it was made again when it was), a DaemonSet's by node with the pod's generation there
    /// (<c>lab-1=agent-5c7d9@0</c>; two on one node while it surges).
    /// </summary>
    public const string PodRevisionsAnnotation = "maille.dev/pod-revisions";

    /// <summary>The pod label naming its revision: a StatefulSet's pods the revision's name, a DaemonSet's its hash.</summary>
    public const string PodRevisionLabel = "controller-revision-hash";

    /// <summary>The ControllerRevision label holding its hash.</summary>
    public const string HashLabel = "controller.kubernetes.io/hash";

    /// <summary>The revisions <paramref name="set"/> controls, oldest first.</summary>
    public static IReadOnlyList<ControllerRevision> Owned(Workload set, IEnumerable<ControllerRevision> revisions) =>
        [.. revisions.Where(r => r.Meta.Namespace == set.Meta.Namespace && r.Owner is { } owner && owner.Kind == set.Kind.ToString() && owner.Name == set.Meta.Name
                && (r.OwnerUid is null || set.Meta.Uid is null || r.OwnerUid == set.Meta.Uid))
            .OrderBy(r => r.Revision).ThenBy(r => r.Meta.Name, StringComparer.Ordinal)];

    /// <summary>The newest owned revision whose template is the set's template now, or null when none was recorded yet.</summary>
    public static ControllerRevision? Update(Workload set, IReadOnlyList<ControllerRevision> owned) =>
        owned.LastOrDefault(r => r.Template == set.Template);

    /// <summary>
    /// Whether a controller records the set's pods (the annotation is there, if empty): then a StatefulSet has the pods
    /// it recorded and no others. A lab stamps it, empty, on a StatefulSet it creates, so that its first pods too are
    /// made as the controller decides.
    /// </summary>
    public static bool IsRecorded(Workload set) => set.Meta.Annotations.Get(PodRevisionsAnnotation) is not null;

    /// <summary>The pods' revisions as the set recorded them: a StatefulSet's by ordinal, a DaemonSet's in node order.</summary>
    public static IReadOnlyList<SetPod> Pods(Workload set)
    {
        var text = set.Meta.Annotations.Get(PodRevisionsAnnotation);
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var items = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (set.Kind != WorkloadKind.DaemonSet)
        {
            return [.. items.Select(i => i.Split('@') is [var revision, var created] && long.TryParse(created, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                ? new SetPod(revision, Created: DateTimeOffset.FromUnixTimeSeconds(seconds))
                : new SetPod(i))];
        }

        var pods = new List<SetPod>();
        foreach (var item in items)
        {
            var (equals, at) = (item.IndexOf('=', StringComparison.Ordinal), item.LastIndexOf('@'));
            if (equals > 0 && at > equals)
            {
                pods.Add(new SetPod(item[(equals + 1)..at], item[..equals], int.TryParse(item[(at + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var generation) ? generation : 0));
            }
        }

        return pods;
    }

    /// <summary>The annotation's text for <paramref name="pods"/>.</summary>
    public static string Format(IEnumerable<SetPod> pods) => string.Join(",", pods.Select(p => p switch
    {
        { Node: not null } => $"{p.Node}={p.Revision}@{p.Generation.ToString(CultureInfo.InvariantCulture)}",
        { Created: { } created } => $"{p.Revision}@{created.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}",
        _ => p.Revision,
    }));

    /// <summary>
    /// A StatefulSet's current revision (<c>status.currentRevision</c>): the one its lowest ordinal runs, which a
    /// rolling update, going from the highest ordinal down, replaces last; the update revision when none is recorded.
    /// </summary>
    public static string? Current(Workload statefulSet, string? update) => Pods(statefulSet) is [var first, ..] ? first.Revision : update;

    /// <summary>What a pod's <see cref="PodRevisionLabel"/> holds for <paramref name="revision"/>: a DaemonSet's pods only the hash.</summary>
    public static string LabelValue(Workload set, string revision) =>
        set.Kind == WorkloadKind.DaemonSet && revision.StartsWith(set.Meta.Name + "-", StringComparison.Ordinal) ? revision[(set.Meta.Name.Length + 1)..] : revision;
}
