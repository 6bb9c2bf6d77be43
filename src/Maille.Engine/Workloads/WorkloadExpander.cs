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

    public static IEnumerable<Pod> Expand(Workload workload, IReadOnlyList<Node> nodes)
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
                return Enumerable.Range(0, workload.Replicas).Select(i =>
                {
                    var name = $"{workload.Meta.Name}-{i}";
                    var pod = MakePod(
                        workload,
                        name,
                        workload.Template.Labels.With("statefulset.kubernetes.io/pod-name", name).With("apps.kubernetes.io/pod-index", i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                        new OwnerRef("StatefulSet", workload.Meta.Name));
                    return pod with { Spec = pod.Spec with { Hostname = name, Subdomain = workload.ServiceName ?? pod.Spec.Subdomain } };
                });
            case WorkloadKind.DaemonSet:
                return nodes.Where(n => Matches(workload.Template.Spec.NodeSelector, n) && !n.Unschedulable).Select(n =>
                {
                    var pod = MakePod(
                        workload,
                        $"{workload.Meta.Name}-{StableHash.Suffix($"{ns}/{workload.Meta.Name}/{n.Name}", 5)}",
                        workload.Template.Labels,
                        new OwnerRef("DaemonSet", workload.Meta.Name));
                    return pod with { Spec = pod.Spec with { NodeName = n.Name } };
                });
            default:
                throw new InvalidOperationException($"unknown workload kind {workload.Kind}");
        }
    }

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
        };
    }

    public static bool Matches(Labels selector, Node node) => selector.All(s => node.Meta.Labels.Get(s.Key) == s.Value);

    internal static string TemplateHash(Workload deployment) =>
        StableHash.Suffix($"{deployment.Meta.Namespace}/{deployment.Meta.Name}/{deployment.Template}", 10);

    private static Pod MakePod(Workload workload, string name, Labels labels, OwnerRef owner) => new()
    {
        Meta = new ObjectMeta
        {
            Name = name,
            Namespace = workload.Meta.Namespace,
            Labels = labels,
            Annotations = workload.Template.Annotations,
            // Made by the workload's controller as soon as the workload exists: its creation time is theirs.
            CreationTimestamp = workload.Meta.CreationTimestamp,
            Source = workload.Meta.Source,
        },
        Spec = workload.Template.Spec,
        Owner = owner,
    };
}
