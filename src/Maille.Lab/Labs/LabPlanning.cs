using Maille.Engine;
using Maille.Engine.Allocation;
using Maille.Engine.EndpointSlices;
using Maille.Kube;
using Maille.Model;

namespace Maille.Lab.Labs;

/// <summary>
/// Plans a lab's desired state with the engine, and keeps what makes planning it again cheap: each document converted
/// once per lab, the manifests of the last desired state read once, the EndpointSlices of unchanged Services kept, and
/// the changes that need no plan at all (pods deleted or relabeled, plain Services created or deleted) updated from the
/// published state instead.
/// </summary>
internal sealed class LabPlanning
{
    private readonly DocumentLoadCache _documentLoads = new();
    private readonly EndpointSliceCache _slices = new();
    private (LabManifests Manifests, (ManifestSet Manifests, IReadOnlyList<Diagnostic> Diagnostics) Set)? _loaded;

    /// <summary>The lab's cluster configuration (its file, or the defaults), read when the lab starts.</summary>
    public ClusterConfig Config { get; set; } = ClusterConfig.Default;

    /// <summary>The node agents run as processes, shown as the pods of the <c>maille-agent</c> DaemonSet.</summary>
    public bool AgentDaemonSet { get; set; }

    public PlanResult Plan(LabManifests manifests, IReadOnlyDictionary<string, bool>? readiness, PriorAllocations prior)
    {
        // Readiness flips plan the same manifests again and again: read them once per desired state (and each document
        // once per lab: a change converts only the documents it replaced).
        var loaded = _loaded is { } cached && ReferenceEquals(cached.Manifests, manifests)
            ? cached
            : (_loaded = (manifests, _documentLoads.Load(manifests.Documents))).Value;
        return LabPlanner.Plan(loaded.Set.Manifests, loaded.Set.Diagnostics, Config, readiness, prior, _slices, AgentDaemonSet);
    }

    /// <summary>The plan of a desired state that planned before; that it no longer does is a bug, hence the exception.</summary>
    public ClusterState PlanOrThrow(LabManifests manifests, IReadOnlyDictionary<string, bool>? readiness, PriorAllocations prior)
    {
        var result = Plan(manifests, readiness, prior);
        return result.Cluster ?? throw new InvalidOperationException("the lab's manifests no longer plan: " + string.Join("; ", result.Errors));
    }

    /// <summary>
    /// The new state made from <paramref name="published"/> without planning the lab again, when the change is only pods
    /// deleted or relabeled (<see cref="Engine.EndpointSlices.PodChangeUpdate"/>), or only plain Services created or
    /// deleted (<see cref="Engine.EndpointSlices.ServiceChangeUpdate"/>); null for any other change, which is planned in full.
    /// </summary>
    public ClusterState? IncrementalPlan(LabChange proposed, ClusterState published)
    {
        var changed = proposed.Outcomes.Where(o => o.Action is not ("unchanged" or "not labeled")).ToList();
        if (changed.Count == 0)
        {
            return null;
        }

        if (changed.All(o => o.Key is { Group: "", Kind: "Pod" } && o.Action is "deleted" or "labeled"))
        {
            var (relabeled, errors) = Load(proposed, changed.Where(o => o.Action == "labeled"));
            return errors ? null : Engine.EndpointSlices.PodChangeUpdate.Apply(published, Removed(changed), relabeled.Pods);
        }

        if (changed.All(o => o.Key is { Group: "", Kind: "Service" } && o.Action is "deleted" or "created"))
        {
            var (created, errors) = Load(proposed, changed.Where(o => o.Action == "created"));
            var hasSlices = proposed.Manifests.Documents.Any(d => d.Key is { Group: "discovery.k8s.io", Kind: "EndpointSlice" });
            return errors ? null : Engine.EndpointSlices.ServiceChangeUpdate.Apply(published, Removed(changed), created.Services, hasSlices);
        }

        return null;

        static List<string> Removed(IEnumerable<ObjectOutcome> changed) =>
            [.. changed.Where(o => o.Action == "deleted").Select(o => $"{o.Key.Namespace}/{o.Key.Name}")];
    }

    /// <summary>The objects of the outcomes' documents in the proposed state, and whether reading them found errors.</summary>
    private (ManifestSet Objects, bool Errors) Load(LabChange proposed, IEnumerable<ObjectOutcome> outcomes)
    {
        var documents = new List<ManifestDocument>();
        foreach (var outcome in outcomes)
        {
            if (!proposed.Manifests.TryGet(outcome.Key, out var document))
            {
                return (ManifestSet.Empty, true);
            }

            documents.Add(document);
        }

        var (loaded, diagnostics) = _documentLoads.Load(documents);
        return (loaded, diagnostics.Any(d => d.IsError));
    }
}
