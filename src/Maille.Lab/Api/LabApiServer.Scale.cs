using System.Collections.Immutable;
using System.Text.Json.Nodes;
using k8s.Models;
using Maille.Engine;
using Maille.Kube;
using Maille.Kube.Fields;
using Maille.Kube.Patching;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Maille.Lab.Api;

public sealed partial class LabApiServer
{
    private static readonly string[] Scalable = ["deployments", "replicasets", "statefulsets"];

    /// <summary>
    /// The <c>scale</c> subresource of Deployments, ReplicaSets and StatefulSets (<c>kubectl scale</c>, autoscalers):
    /// an <c>autoscaling/v1</c> Scale read from the workload, and written back as a change of its
    /// <c>spec.replicas</c>, planned like any write.
    /// </summary>
    private void MapScale(WebApplication app)
    {
        const string ScalePath = "/apis/{group}/{version}/namespaces/{ns}/{plural}/{name}/scale";
        app.MapGet(ScalePath, (HttpContext http, string group, string version, string ns, string plural, string name) =>
            ScalableKind(group, plural) is { } kind && ScaleOf(store.Snapshot.Cluster, kind, ns, name) is { } scale
                ? Json(http, 200, scale)
                : Status(http, 404, "NotFound", $"{plural}.{group} \"{name}\" not found"));
        app.MapPut(ScalePath, (HttpContext http, string group, string version, string ns, string plural, string name) => WriteScale(http, group, plural, ns, name, patch: false));
        app.MapPatch(ScalePath, (HttpContext http, string group, string version, string ns, string plural, string name) => WriteScale(http, group, plural, ns, name, patch: true));
    }

    private static KindName? ScalableKind(string group, string plural) =>
        Scalable.Contains(plural) ? KindNames.ByPlural(group, plural) : null;

    private async Task WriteScale(HttpContext http, string group, string plural, string ns, string name, bool patch)
    {
        if (ScalableKind(group, plural) is not { } kind || ScaleOf(store.Snapshot.Cluster, kind, ns, name) is not { } current)
        {
            await Status(http, 404, "NotFound", $"{plural}.{group} \"{name}\" not found");
            return;
        }

        if (await WriteOptions.ReadAsync(http) is not { } options)
        {
            return;
        }

        var body = await Body(http);
        JsonObject wanted;
        try
        {
            wanted = patch
                ? ObjectPatch.Apply(current, (http.Request.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant(), body, typeof(V1Scale))
                : JsonNode.Parse(body) as JsonObject ?? throw new FormatException("a Scale must be a JSON object");
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            await Status(http, 422, "Invalid", $"Scale.autoscaling \"{name}\" is invalid: {e.Message}");
            return;
        }
        catch (NotSupportedException e)
        {
            await Status(http, 415, "UnsupportedMediaType", e.Message);
            return;
        }

        if (wanted["spec"]?["replicas"] is not JsonValue replicasValue || !replicasValue.TryGetValue<int>(out var replicas) || replicas < 0)
        {
            await Status(http, 422, "Invalid", $"Scale.autoscaling \"{name}\" is invalid: spec.replicas: Invalid value: must be a non-negative integer");
            return;
        }

        var key = kind.Key(ns, name);
        var version = (wanted["metadata"] as JsonObject)?["resourceVersion"]?.ToString();
        var writer = WriterOf(http, kind, subresource: "scale");
        if (await PlannedAsync(
            m =>
            {
                if (!m.TryGet(key, out var stored))
                {
                    return new Labs.LabChange(m, [], [key]);
                }

                if (version is not null)
                {
                    CheckVersion(kind, key, version);
                }

                var before = ManifestJson.Of(stored);
                var scaled = (JsonObject)JsonMergePatch.Apply(before, new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } })!;
                var managed = Updated(m.ManagedFieldsOf(key), before, scaled, kind, writer);
                return m.Apply(ManifestDocument.Parse(stored.Source, scaled.ToJsonString()), TimeProvider.System.GetUtcNow(), new Dictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>> { [key] = managed });
            },
            options.DryRun,
            http) is not { } result)
        {
            return;
        }

        if (!result.Succeeded || result.NotFound.Count > 0)
        {
            await Answer(http, result, key, "scaled");
            return;
        }

        await Json(http, 200, ScaleOf(result.DryRun ?? store.Snapshot.Cluster, kind, ns, name)!);
    }

    /// <summary>The workload's Scale: its wanted replicas, the replicas it has, and its selector as a label query.</summary>
    private JsonObject? ScaleOf(ClusterState cluster, KindName kind, string ns, string name)
    {
        if (ApiResources.Find(kind.Group, kind.Version, kind.Plural) is not { } resource || Select(resource, cluster, ns, name).FirstOrDefault() is not { } served)
        {
            return null;
        }

        var versionOf = store.Snapshot.VersionOf;
        var workload = ApiJson.Write(served, versionOf(resource, served.Meta.QualifiedName));
        var labels = workload["spec"]?["selector"]?["matchLabels"] as JsonObject;
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["uid"] = workload["metadata"]?["uid"]?.DeepClone(),
                ["resourceVersion"] = workload["metadata"]?["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = workload["metadata"]?["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = workload["spec"]?["replicas"]?.DeepClone() ?? 1 },
            ["status"] = new JsonObject
            {
                ["replicas"] = workload["status"]?["replicas"]?.DeepClone() ?? 0,
                ["selector"] = labels is null ? "" : string.Join(",", labels.Select(l => $"{l.Key}={l.Value}")),
            },
        };
    }
}
