using Maille.Engine.Workloads;
using Maille.Model;

namespace Maille.Kube.Tables;

/// <summary>
/// The workload tables, columns as kubectl prints them (its printers for apps/v1), with the counts of
/// <see cref="WorkloadStatus"/>.
/// </summary>
public sealed partial class ResourceTables
{
    public KubectlTable Deployments(IEnumerable<Workload> deployments, bool wide, bool allNamespaces) =>
        Workloads(deployments, wide, allNamespaces, ["READY", "UP-TO-DATE", "AVAILABLE"], s => [$"{s.Ready}/{s.Desired}", Count(s.UpToDate), Count(s.Available)], selector: true);

    public KubectlTable ReplicaSets(IEnumerable<Workload> replicaSets, bool wide, bool allNamespaces) =>
        Workloads(replicaSets, wide, allNamespaces, ["DESIRED", "CURRENT", "READY"], s => [Count(s.Desired), Count(s.Current), Count(s.Ready)], selector: true);

    public KubectlTable StatefulSets(IEnumerable<Workload> statefulSets, bool wide, bool allNamespaces) =>
        Workloads(statefulSets, wide, allNamespaces, ["READY"], s => [$"{s.Ready}/{s.Desired}"], selector: false);

    public KubectlTable DaemonSets(IEnumerable<Workload> daemonSets, bool wide, bool allNamespaces)
    {
        var rows = daemonSets.ToList();
        var nodeSelectors = rows.ToDictionary(w => w.Meta.QualifiedName, w => w.Template.Spec.NodeSelector.Count == 0 ? "<none>" : string.Join(",", w.Template.Spec.NodeSelector.Select(p => $"{p.Key}={p.Value}")), StringComparer.Ordinal);
        return Workloads(rows, wide, allNamespaces, ["DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR"], (s, w) => [Count(s.Desired), Count(s.Current), Count(s.Ready), Count(s.UpToDate), Count(s.Available), nodeSelectors[w.Meta.QualifiedName]], selector: true);
    }

    /// <summary>NAME, CONTROLLER (<c>statefulset.apps/web</c>), REVISION, AGE, as kubectl prints ControllerRevisions.</summary>
    public KubectlTable ControllerRevisions(IEnumerable<ControllerRevision> revisions, bool allNamespaces)
    {
        var table = new KubectlTable(WithNamespace(["NAME", "CONTROLLER", "REVISION", "AGE"], allNamespaces));
        foreach (var revision in revisions)
        {
            var controller = revision.Owner is { } owner ? $"{owner.Kind.ToLowerInvariant()}.apps/{owner.Name}" : "<none>";
            table.Add(WithNamespace([revision.Meta.Name, controller, revision.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture), Age(revision.Meta)], allNamespaces, revision.Meta.Namespace!));
        }

        return table;
    }

    public WorkloadStatus Status(Workload workload) => WorkloadStatus.Of(workload, cluster, availability);

    private KubectlTable Workloads(IEnumerable<Workload> workloads, bool wide, bool allNamespaces, string[] countHeaders, Func<WorkloadStatus, string[]> counts, bool selector) =>
        Workloads(workloads, wide, allNamespaces, countHeaders, (s, _) => counts(s), selector);

    /// <summary>NAME, the counts, AGE; with -o wide CONTAINERS, IMAGES and (but for StatefulSets) SELECTOR.</summary>
    private KubectlTable Workloads(IEnumerable<Workload> workloads, bool wide, bool allNamespaces, string[] countHeaders, Func<WorkloadStatus, Workload, string[]> counts, bool selector)
    {
        List<string> headers = ["NAME", .. countHeaders, "AGE"];
        if (wide)
        {
            headers.AddRange(selector ? ["CONTAINERS", "IMAGES", "SELECTOR"] : ["CONTAINERS", "IMAGES"]);
        }

        var table = new KubectlTable(WithNamespace(headers, allNamespaces));
        foreach (var workload in workloads)
        {
            List<string> row = [workload.Meta.Name, .. counts(Status(workload), workload), Age(workload.Meta)];
            if (wide)
            {
                var containers = workload.Template.Spec.Containers;
                row.AddRange([string.Join(",", containers.Select(c => c.Name)), string.Join(",", containers.Select(c => c.Image ?? "<none>"))]);
                if (selector)
                {
                    row.Add(workload.Selector is { IsEmpty: false } s ? s.ToString() : "<none>");
                }
            }

            table.Add(WithNamespace(row, allNamespaces, workload.Meta.Namespace!));
        }

        return table;
    }

    private static string Count(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
