using Maille.Model;

namespace Maille.Engine.Workloads;

/// <summary>
/// Expands workloads into pods with Kubernetes-like names: Deployment → <c>name-{pod-template-hash}-{5}</c>,
/// ReplicaSet → <c>name-{5}</c>, StatefulSet → <c>name-{ordinal}</c>, DaemonSet → <c>name-{5}</c> per eligible node.
/// Suffixes are derived from names, never random, so the same input gives the same pods.
/// </summary>
internal static class WorkloadExpander
{
    public const string PodTemplateHashLabel = "pod-template-hash";

    /// <param name="revisions">The ControllerRevisions in the input: a StatefulSet's or DaemonSet's pod is made from the
    /// revision the set recorded for it (<see cref="SetRevisions"/>), else from the set's template.</param>
    public static IEnumerable<Pod> Expand(Workload workload, IReadOnlyList<Node> nodes, IReadOnlyList<ControllerRevision> revisions)
    {
        var ns = workload.Meta.Namespace!;
        switch (workload.Kind)
        {
            case WorkloadKind.Deployment:
                var hash = TemplateHash(workload);
                var replicaSet = $"{workload.Meta.Name}-{hash}";
                return Enumerable.Range(0, workload.Replicas).Select(i => MakePod(
                    workload,
                    $"{replicaSet}-{StableHash.Suffix($"{ns}/{replicaSet}/{i}", 5)}",
                    workload.Template.Labels.With(PodTemplateHashLabel, hash),
                    new OwnerRef("ReplicaSet", replicaSet)));
            case WorkloadKind.ReplicaSet:
                return ReplicaSetPodNames.Of(workload).Select(name => MakePod(
                    workload,
                    name,
                    workload.Template.Labels,
                    new OwnerRef("ReplicaSet", workload.Meta.Name)));
            case WorkloadKind.StatefulSet:
                return StatefulSetPods(workload, revisions);
            case WorkloadKind.DaemonSet:
                return DaemonSetPods(workload, nodes, revisions);
            default:
                throw new InvalidOperationException($"unknown workload kind {workload.Kind}");
        }
    }

    /// <summary>
    /// StatefulSet → <c>name-{ordinal}</c>, each with its stable hostname and the revision recorded for its ordinal. A
    /// set whose controller records its pods (a lab's) has the pods it recorded, which an OrderedReady set's controller
    /// adds and removes one at a time; a set that records none (files, a dump) has all its replicas.
    /// </summary>
    private static IEnumerable<Pod> StatefulSetPods(Workload workload, IReadOnlyList<ControllerRevision> revisions)
    {
        var (owned, update) = Revisions(workload, revisions);
        var recorded = SetRevisions.Pods(workload);
        return Enumerable.Range(0, SetRevisions.IsRecorded(workload) ? recorded.Count : workload.Replicas).Select(i =>
        {
            var name = $"{workload.Meta.Name}-{i}";
            var (template, revision) = TemplateOf(workload, owned, update, i < recorded.Count ? recorded[i].Revision : null);
            var labels = template.Labels.With("statefulset.kubernetes.io/pod-name", name).With("apps.kubernetes.io/pod-index", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var pod = MakePod(workload, template, name, revision is null ? labels : labels.With(SetRevisions.PodRevisionLabel, revision), new OwnerRef("StatefulSet", workload.Meta.Name));
            // A pod made again under its name is a new pod: its own creation time.
            var created = i < recorded.Count ? recorded[i].Created : null;
            return pod with
            {
                Meta = created is null ? pod.Meta : pod.Meta with { CreationTimestamp = created },
                Spec = pod.Spec with { Hostname = name, Subdomain = workload.ServiceName ?? pod.Spec.Subdomain },
            };
        });
    }

    /// <summary>
    /// DaemonSet → one pod per eligible node (two while it surges), <c>name-{5}</c> from the node and the pod's
    /// generation there, so a replacement has a new name while a set's first pods keep the names they always had.
    /// </summary>
    private static IEnumerable<Pod> DaemonSetPods(Workload workload, IReadOnlyList<Node> nodes, IReadOnlyList<ControllerRevision> revisions)
    {
        var (owned, update) = Revisions(workload, revisions);
        var recorded = SetRevisions.Pods(workload).ToLookup(p => p.Node!, StringComparer.Ordinal);
        return DaemonSetRollout.EligibleNodes(workload, nodes).SelectMany(n =>
            (recorded[n.Name].Any() ? recorded[n.Name] : [new SetPod(update?.Meta.Name ?? "", n.Name)]).Select(p =>
            {
                var (template, revision) = TemplateOf(workload, owned, update, p.Revision);
                var name = DaemonSetRollout.PodName(workload, p);
                var labels = revision is null ? template.Labels : template.Labels.With(SetRevisions.PodRevisionLabel, SetRevisions.LabelValue(workload, revision));
                var pod = MakePod(workload, template, name, labels, new OwnerRef("DaemonSet", workload.Meta.Name));
                return pod with { Spec = pod.Spec with { NodeName = n.Name } };
            }));
    }

    private static (IReadOnlyList<ControllerRevision> Owned, ControllerRevision? Update) Revisions(Workload set, IReadOnlyList<ControllerRevision> revisions)
    {
        var owned = revisions.Count == 0 ? [] : SetRevisions.Owned(set, revisions);
        return (owned, SetRevisions.Update(set, owned));
    }

    /// <summary>The template of the revision a pod records, or the set's own (then at the update revision, if one is known).</summary>
    private static (PodTemplate Template, string? Revision) TemplateOf(Workload set, IReadOnlyList<ControllerRevision> owned, ControllerRevision? update, string? recorded) =>
        owned.FirstOrDefault(r => r.Meta.Name == recorded) is { Template: { } template } revision
            ? (template, revision.Meta.Name)
            : (set.Template, update?.Meta.Name);

    /// <summary>
    /// The ReplicaSet a Deployment's controller would make for its template: <c>name-{pod-template-hash}</c>, the hash
    /// added to its labels, selector and template, owned by the Deployment. Its pods are the ones <see cref="Expand"/>
    /// makes for the Deployment.
    /// </summary>
    public static Workload ReplicaSetOf(Workload deployment)
    {
        var hash = TemplateHash(deployment);
        var selector = deployment.Selector ?? LabelSelector.Everything;
        return new Workload
        {
            Kind = WorkloadKind.ReplicaSet,
            Meta = deployment.Meta with { Name = $"{deployment.Meta.Name}-{hash}", Labels = deployment.Template.Labels.With(PodTemplateHashLabel, hash), Annotations = Labels.Empty, Uid = null },
            Replicas = deployment.Replicas,
            Selector = selector with { MatchLabels = selector.MatchLabels.With(PodTemplateHashLabel, hash) },
            Template = deployment.Template with { Labels = deployment.Template.Labels.With(PodTemplateHashLabel, hash) },
            Owner = new OwnerRef("Deployment", deployment.Meta.Name),

            // The Deployment controller copies it, so the ReplicaSet counts its pods available as the Deployment does.
            MinReadySeconds = deployment.MinReadySeconds,
        };
    }

    public static bool Matches(Labels selector, Node node) => selector.All(s => node.Meta.Labels.Get(s.Key) == s.Value);

    internal static string TemplateHash(Workload deployment) =>
        StableHash.Suffix($"{deployment.Meta.Namespace}/{deployment.Meta.Name}/{deployment.Template}", 10);

    private static Pod MakePod(Workload workload, string name, Labels labels, OwnerRef owner) => MakePod(workload, workload.Template, name, labels, owner);

    private static Pod MakePod(Workload workload, PodTemplate template, string name, Labels labels, OwnerRef owner) => new()
    {
        Meta = new ObjectMeta
        {
            Name = name,
            Namespace = workload.Meta.Namespace,
            Labels = labels,
            Annotations = template.Annotations,
            // Made by the workload's controller as soon as the workload exists: its creation time is theirs.
            CreationTimestamp = workload.Meta.CreationTimestamp,
            Source = workload.Meta.Source,
        },
        Spec = template.Spec,
        Owner = owner,
    };
}
