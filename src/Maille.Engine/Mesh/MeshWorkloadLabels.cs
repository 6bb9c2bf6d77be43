using Maille.Engine.Workloads;
using Maille.Model;

namespace Maille.Engine.Mesh;

/// <summary>
/// How Istio's telemetry names a pod in its metrics (<c>source_workload</c>, <c>source_canonical_service</c>, …):
/// <list type="bullet">
/// <item><b>workload</b>: the controller the pod comes from, a Deployment for a ReplicaSet's pod carrying
/// <c>pod-template-hash</c> (the ReplicaSet's name without that suffix), else the owner's name, else the pod's;</item>
/// <item><b>canonical service</b>: the first of the labels <c>service.istio.io/canonical-name</c>,
/// <c>app.kubernetes.io/name</c>, <c>app</c>, else the workload;</item>
/// <item><b>canonical revision</b>: the first of <c>service.istio.io/canonical-revision</c>,
/// <c>app.kubernetes.io/version</c>, <c>version</c>, else <c>latest</c>;</item>
/// <item><b>principal</b>: the pod's SPIFFE identity.</item>
/// </list>
/// </summary>
public sealed record MeshWorkloadLabels(string Workload, string Namespace, string CanonicalService, string CanonicalRevision, string Principal)
{
    public const string CanonicalNameLabel = "service.istio.io/canonical-name";
    public const string CanonicalRevisionLabel = "service.istio.io/canonical-revision";

    private static readonly string[] NameLabels = [CanonicalNameLabel, "app.kubernetes.io/name", "app"];
    private static readonly string[] RevisionLabels = [CanonicalRevisionLabel, "app.kubernetes.io/version", "version"];

    public static MeshWorkloadLabels Of(Pod pod)
    {
        var workload = WorkloadOf(pod);
        return new MeshWorkloadLabels(
            workload,
            pod.Namespace,
            FirstLabel(pod, NameLabels) ?? workload,
            FirstLabel(pod, RevisionLabels) ?? "latest",
            MeshAuthorizer.IdentityOf(pod));
    }

    private static string WorkloadOf(Pod pod)
    {
        if (pod.Owner is not { } owner)
        {
            return pod.Name;
        }

        // A Deployment's ReplicaSet is named DEPLOYMENT-HASH, the hash being the pod's pod-template-hash label.
        if (owner.Kind == "ReplicaSet" && pod.Labels.TryGetValue(WorkloadExpander.PodTemplateHashLabel, out var hash)
            && owner.Name.EndsWith("-" + hash, StringComparison.Ordinal))
        {
            return owner.Name[..^(hash.Length + 1)];
        }

        return owner.Name;
    }

    private static string? FirstLabel(Pod pod, string[] names)
    {
        foreach (var name in names)
        {
            if (pod.Labels.TryGetValue(name, out var value) && value.Length > 0)
            {
                return value;
            }
        }

        return null;
    }
}
