using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Maille.Engine;
using Maille.Engine.Workloads;
using Maille.Kube;
using Maille.Kube.Fields;
using Maille.Kube.Patching;
using Maille.Model;

namespace Maille.Lab.Api;

/// <summary>
/// One published state as the API serves it, read together under the store's lock: the plan, the resource version,
/// each object's own version, what the lab knows beyond the plan (<see cref="ServedFacts"/>, when pods started, when
/// nodes changed) and the events. <see cref="Write(ApiResource, ApiObject)"/> writes an object as the API server shows
/// it: a user's object as written with the server's fields set over it (<see cref="WrittenObject"/>), an object the
/// lab made from its template or owner.
/// </summary>
public sealed class ApiView
{
    /// <summary>
    /// Each object's text as last written, by its model instance, so a list of 1,000 pods or a watch of 10,000 Services
    /// writes each object once per version rather than once per request (the entry dies with its model).
    /// </summary>
    private static readonly ConditionalWeakTable<object, Written> Cache = [];

    private readonly Func<ApiResource, string, long?> _versions;
    private readonly IReadOnlyDictionary<string, PodTimes> _pods;
    private readonly IReadOnlyDictionary<string, DateTimeOffset> _nodesChanged;
    private readonly IReadOnlyDictionary<string, DateTimeOffset> _leasesRenewed;
    private readonly NodeSystem _system;
    private readonly IReadOnlyList<(LabEvent Event, long Version)> _events;

    /// <summary>The ReplicaSets the lab made for Deployments, by namespace and name: the Deployment each belongs to.</summary>
    private readonly Lazy<Dictionary<(string?, string), string>> _madeReplicaSets;

    internal ApiView(
        ClusterState cluster,
        long version,
        Func<ApiResource, string, long?> versions,
        ServedFacts facts,
        IReadOnlyDictionary<string, PodTimes> pods,
        IReadOnlyDictionary<string, DateTimeOffset> nodesChanged,
        NodeSystem system,
        IReadOnlyList<(LabEvent Event, long Version)> events,
        IReadOnlyDictionary<string, DateTimeOffset>? leasesRenewed = null,
        PodAvailability? availability = null)
    {
        Availability = availability;
        Cluster = cluster;
        Version = version;
        Facts = facts;
        _versions = versions;
        _pods = pods;
        _nodesChanged = nodesChanged;
        _system = system;
        _events = events;
        _leasesRenewed = leasesRenewed ?? System.Collections.Frozen.FrozenDictionary<string, DateTimeOffset>.Empty;
        _madeReplicaSets = new(() => WorkloadStatus.ReplicaSets(cluster).Where(rs => rs.Owner is { Kind: "Deployment" })
            .ToDictionary(rs => (rs.Meta.Namespace, rs.Meta.Name), rs => rs.Owner!.Name));
    }

    public ClusterState Cluster { get; }

    /// <summary>When the pods became Ready and the time this view counts available pods at; null when no workload waits <c>minReadySeconds</c>.</summary>
    public PodAvailability? Availability { get; }

    public long Version { get; }

    internal ServedFacts Facts { get; }

    /// <summary>An object's own resource version: the store version at its last change.</summary>
    public long VersionOf(ApiResource resource, string key) => _versions(resource, key) ?? Version;

    public void Deconstruct(out ClusterState cluster, out long version, out Func<ApiResource, string, long> versionOf)
    {
        (cluster, version) = (Cluster, Version);
        versionOf = VersionOf;
    }

    /// <summary>The objects of <paramref name="resource"/>: the plan's, or for events the kept events.</summary>
    public IEnumerable<ApiObject> Objects(ApiResource resource) =>
        resource == ApiResources.Events ? _events.Select(e => EventObjects.Core(e.Event))
        : resource == ApiResources.EventsV1 ? _events.Select(e => EventObjects.EventsV1(e.Event))
        : resource.Objects(Cluster, Availability);

    /// <summary>The object as the API shows it, with its own resource version.</summary>
    public JsonObject Write(ApiResource resource, ApiObject item) => Write(resource, item, VersionOf(resource, item.Meta.QualifiedName));

    public JsonObject Write(ApiResource resource, ApiObject item, long version)
    {
        var extra = Extra(resource, item);
        var times = item.Model is Pod pod ? _pods.GetValueOrDefault(pod.QualifiedName) : null;
        if (!Cache.TryGetValue(item.Model, out var written) || written.Extra != extra || written.Times != times)
        {
            written = new Written(extra, times, Render(resource, item, extra, times).ToJsonString());
            Cache.AddOrUpdate(item.Model, written);
        }

        var json = JsonNode.Parse(written.Json)!.AsObject();
        if (json["metadata"] is JsonObject metadata)
        {
            metadata["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture);
        }

        return json;
    }

    /// <summary>What besides its model the object is written from (<see cref="ObjectVersions"/> compares it too).</summary>
    internal ServedExtra Extra(ApiResource resource, ApiObject item)
    {
        if (item.Model is LabEvent)
        {
            return ServedExtra.None;
        }

        var document = DocumentOf(resource, item);
        return new ServedExtra(
            document?.ToYaml(),
            document is null ? TemplateOf(item)?.ToYaml() : null,
            item.Model is Node node ? !Facts.DownNodes.Contains(node.Name) : null,
            item.Model is Namespace ns && Facts.TerminatingNamespaces.TryGetValue(ns.Name, out var since) ? since : null,
            Facts.Managed.GetValueOrDefault(ApiJson.KeyOf(resource, item)),
            item.Model is NodeLease lease && _leasesRenewed.TryGetValue(lease.Node, out var renewed) ? renewed : null,
            item.Model is Pod pod && Facts.Restarts.TryGetValue(pod.QualifiedName, out var restarts) ? restarts : null,
            item.Model is (ClusterNetworkPolicy, string) ? string.Join(",", Facts.DownNodes.Order(StringComparer.Ordinal)) : null);
    }

    /// <summary>
    /// Whether <paramref name="item"/>'s own facts are those it had in <paramref name="before"/>: the very same written
    /// document, managed fields and workload template. With the same model and the rest of the facts unchanged
    /// (<see cref="ServedFacts.UnchangedBesidesObjects"/>) the object is unchanged: a change of one object costs a
    /// lookup or two for each of the others, not working each one out again (at 10,000 Services that was most of a
    /// publication's time).
    /// </summary>
    /// <param name="changed">The objects whose documents or managed fields may have changed, when known (<see cref="ServedFacts.WrittenKeysChangedBy"/>).</param>
    internal bool FactsUnchangedSince(ApiView before, IReadOnlySet<ObjectKey>? changed, ApiResource resource, ApiObject item)
    {
        if (changed is not null)
        {
            return changed.Count == 0
                || (!changed.Contains(ApiJson.KeyOf(resource, item)) && (TemplateOf(item) is not { } template || !changed.Contains(template.Key)));
        }

        if (ReferenceEquals(before.Facts.Written, Facts.Written) && ReferenceEquals(before.Facts.Managed, Facts.Managed))
        {
            return true;
        }

        var key = ApiJson.KeyOf(resource, item);
        return ReferenceEquals(before.Facts.Written.GetValueOrDefault(key), Facts.Written.GetValueOrDefault(key))
            && before.Facts.Managed.GetValueOrDefault(key) == Facts.Managed.GetValueOrDefault(key)
            && ReferenceEquals(before.TemplateOf(item), TemplateOf(item));
    }

    private JsonObject Render(ApiResource resource, ApiObject item, ServedExtra extra, PodTimes? times)
    {
        var kubernetes = item.Write();
        switch (kubernetes, item.Model)
        {
            case (V1Pod written, Pod pod) when times is not null:
                written.Status = ServedStatus.Pod(pod, times, extra.Restarts);
                break;
            case (V1Node written, Node node):
                written.Status = ServedStatus.Node(node, extra.NodeReady ?? true, _nodesChanged.GetValueOrDefault(node.Name, node.Meta.CreationTimestamp ?? DateTimeOffset.UnixEpoch), _system);
                break;
            case (SortedDictionary<string, object?> written, (ClusterNetworkPolicy policy, string nodes)) when extra.NotReadyNodes is { Length: > 0 } down:
                // A node that is stopped or does not answer keeps no policy: its agent is not running there.
                written["status"] = ClusterNetworkPolicyObjectWriter.Status(policy, nodes.Split(','), down.Split(',').ToHashSet(StringComparer.Ordinal));
                break;
            case (V1Lease written, NodeLease):
                written.Spec.RenewTime = extra.Renewed?.UtcDateTime;
                break;
            case (V1Namespace written, Namespace):
                // The API server's own finalizer: the namespace goes once its objects are gone.
                written.Spec = new V1NamespaceSpec { Finalizers = ["kubernetes"] };
                if (extra.Terminating is { } deleted)
                {
                    written.Metadata.DeletionTimestamp = ServedStatus.Timestamp(deleted);
                    written.Status = new V1NamespaceStatus { Phase = "Terminating" };
                }

                break;
        }

        var served = JsonNode.Parse(KubernetesJson.Serialize(kubernetes))!.AsObject();
        if (!extra.Managed.IsDefaultOrEmpty && served["metadata"] is JsonObject metadata)
        {
            metadata["managedFields"] = FieldManager.ToJson(extra.Managed);
        }

        if (DocumentOf(resource, item) is { } document)
        {
            // The lab's stamp of a spec's generation reads back as text from a document first written as JSON (a
            // Namespace sent with "spec": {} was served "generation": "1", which kubectl cannot decode): a number.
            var merged = WrittenObject.Merge(ManifestJson.Of(document), served);
            if (document.Generation > 0 && merged["metadata"] is JsonObject mergedMetadata)
            {
                mergedMetadata["generation"] = document.Generation;
            }

            return merged;
        }

        // An object the lab made shows its workload's template as written: a pod its spec and metadata, a ReplicaSet
        // the template itself.
        if (TemplateOf(item) is { } workload && ManifestJson.Of(workload)["spec"]?["template"] is JsonObject template)
        {
            var shape = item.Model is Pod
                ? new JsonObject { ["metadata"] = template["metadata"]?.DeepClone(), ["spec"] = template["spec"]?.DeepClone() }
                : new JsonObject { ["spec"] = new JsonObject { ["template"] = template.DeepClone() } };
            return WrittenObject.Merge(shape, served);
        }

        return served;
    }

    private ManifestDocument? DocumentOf(ApiResource resource, ApiObject item) => Facts.Written.GetValueOrDefault(ApiJson.KeyOf(resource, item));

    /// <summary>The document of the workload whose template made <paramref name="item"/> (a pod, or a Deployment's ReplicaSet).</summary>
    private ManifestDocument? TemplateOf(ApiObject item)
    {
        var (ns, owner) = item.Model switch
        {
            Pod { Owner: { } pod } => (item.Meta.Namespace, pod),
            ValueTuple<Workload, WorkloadStatus> { Item1.Owner: { } workload } => (item.Meta.Namespace, workload),
            _ => (null, null),
        };
        if (owner is null)
        {
            return null;
        }

        var (kind, name) = owner.Kind == "ReplicaSet" && _madeReplicaSets.Value.TryGetValue((ns, owner.Name), out var deployment)
            ? ("Deployment", deployment)
            : (owner.Kind, owner.Name);
        return Facts.Written.GetValueOrDefault(new ObjectKey("apps", kind, ns ?? "", name));
    }

    private sealed record Written(ServedExtra Extra, PodTimes? Times, string Json);
}
