using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Maille.Kube;
using Maille.Kube.Fields;
using Maille.Kube.Patching;
using Maille.Kube.Schema;
using Maille.Lab.Labs;
using Microsoft.AspNetCore.Http;

namespace Maille.Lab.Api;

public sealed partial class LabApiServer
{
    /// <summary>
    /// PATCH of one object, as the API server does it: the patch (<see cref="ObjectPatch.Types"/>) is applied to the
    /// object as stored, the result is checked (same kind, name and namespace; the resourceVersion it names, if any, is
    /// the current one) and planned as one change, like any write. Answers the object as now served.
    /// </summary>
    private async Task Patch(HttpContext http, string group, string plural, string? ns, string name)
    {
        if (ScopedKind(group, plural, ns) is not { } kind)
        {
            await Status(http, 404, "NotFound", $"the server could not find the requested resource ({plural})");
            return;
        }

        if (await WriteOptions.ReadAsync(http) is not { } options)
        {
            return;
        }

        var contentType = (http.Request.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        var body = await Body(http);
        if (contentType == ObjectPatch.ApplyPatchType)
        {
            await ServerSideApply(http, kind, ns, name, options, body);
            return;
        }

        if (http.Request.Query.ContainsKey("force"))
        {
            await Status(http, 422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch");
            return;
        }

        var key = kind.Key(ns, name);
        var writer = WriterOf(http, kind, subresource: null);
        ImmutableArray<ManagedFieldsEntry> managed = [];
        if (await PlannedAsync(
            m =>
            {
                if (!m.TryGet(key, out var stored))
                {
                    return new LabChange(m, [], [key]);
                }

                var (patched, before, after, written) = Patched(http, options, stored, m.ManagedFieldsOf(key), kind, key, contentType, body);
                managed = Updated(ManagedBase(written, m.ManagedFieldsOf(key)), before, after, kind, writer);
                return Change(m, stored, patched, managed);
            },
            options.DryRun,
            http) is not { } result)
        {
            return;
        }

        await AnswerWithObject(http, result, kind, key, "patched", create: false, managed);
    }

    /// <summary>
    /// The change a patch makes: a change of labels alone (<c>kubectl label</c>, a merge patch of
    /// <c>metadata.labels</c>) is a relabel, which the lab plans without planning the cluster again (a pod leaving its
    /// Services); anything else replaces the object. Either way the object's managed fields become <paramref name="managed"/>.
    /// </summary>
    private static LabChange Change(LabManifests manifests, ManifestDocument stored, ManifestDocument patched, ImmutableArray<ManagedFieldsEntry> managed)
    {
        var before = ManifestJson.Of(stored);
        var after = ManifestJson.Of(patched);
        var labelsBefore = (before["metadata"] as JsonObject)?["labels"] as JsonObject ?? [];
        var labelsAfter = (after["metadata"] as JsonObject)?["labels"] as JsonObject ?? [];
        (before["metadata"] as JsonObject)?.Remove("labels");
        (after["metadata"] as JsonObject)?.Remove("labels");
        // The patched object comes without the fields the server owns (a stored one may carry its generation), and
        // they are no change of the user's.
        WithoutServerFields(before);
        WithoutServerFields(after);
        if (!JsonNode.DeepEquals(before, after) || labelsAfter.Any(l => l.Value is not JsonValue value || value.GetValueKind() != System.Text.Json.JsonValueKind.String))
        {
            return manifests.Apply([patched], TimeProvider.System.GetUtcNow(), new Dictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>> { [stored.Key] = managed });
        }

        var changes = labelsAfter.Where(l => labelsBefore[l.Key]?.ToString() != l.Value!.ToString()).ToDictionary(l => l.Key, l => (string?)l.Value!.ToString(), StringComparer.Ordinal);
        foreach (var removed in labelsBefore.Where(l => !labelsAfter.ContainsKey(l.Key)))
        {
            changes[removed.Key] = null;
        }

        return manifests.Label(stored.Key, changes, overwrite: true, managed);
    }

    /// <returns>
    /// The patched object, it as JSON before and after the patch (without the fields the server owns), and the
    /// managed fields the patched object carries.
    /// </returns>
    private (ManifestDocument Patched, JsonObject Before, JsonObject After, JsonNode? ManagedFields) Patched(HttpContext http, WriteOptions options, ManifestDocument stored, ImmutableArray<ManagedFieldsEntry> managed, KindName kind, ObjectKey key, string contentType, string body)
    {
        // The stored object as JSON, once: the patch works on its own copy, so this one is also what came before. It
        // is patched as served, with its resourceVersion and managed fields, which a JSON patch may test or replace
        // (kubectl replaces both to move a client-side apply's fields to server-side apply).
        var current = ManifestJson.Of(stored);
        if (current["metadata"] is JsonObject served)
        {
            served["resourceVersion"] = ServedVersion(kind, key);
            if (!managed.IsEmpty)
            {
                served["managedFields"] = FieldManager.ToJson(managed);
            }
        }

        var type = ModelTypes.Of(kind.ApiVersion, kind.Kind);
        JsonObject patched;
        try
        {
            patched = ObjectPatch.Apply(current, contentType, body, type);
        }
        catch (NotSupportedException e)
        {
            throw new RequestRefusedException(415, "UnsupportedMediaType", e.Message);
        }
        catch (FormatException e)
        {
            throw new RequestRefusedException(422, "Invalid", $"{Named(key)} is invalid: {e.Message}");
        }

        // Only a version the patch itself names is checked (a stored manifest may carry one of its own, from a dump).
        var metadata = patched["metadata"] as JsonObject;
        if (VersionOf(patched) is { } version && version != VersionOf(current))
        {
            CheckVersion(kind, key, version);
        }

        if ((string?)patched["apiVersion"] != kind.ApiVersion || (string?)patched["kind"] != kind.Kind || (string?)metadata?["name"] != key.Name
            || (kind.Namespaced && (string?)metadata?["namespace"] is { } patchedNamespace && patchedNamespace != key.Namespace))
        {
            throw new RequestRefusedException(422, "Invalid", $"{Named(key)} is invalid: a patch cannot change apiVersion, kind, metadata.name or metadata.namespace");
        }

        // Only fields the patch brought are judged, and dropped as the API server drops them: what the lab stored
        // before (from maille apply) is the user's own.
        var brought = UnknownFields.Of(patched, kind).Except(UnknownFields.Of(current, kind)).ToList();
        options.Judge(http, kind, brought);
        UnknownFields.Prune(patched, kind, brought.Contains);

        var written = metadata?["managedFields"]?.DeepClone();
        WithoutServerFields(patched);
        WithoutServerFields(current);
        return (Document(stored.Source, patched), current, patched, written);
    }

    /// <summary>
    /// Optimistic concurrency: a write that names a resourceVersion applies only to that version of the object, as
    /// the API server's 409 says (kubectl replace, edit and scale, and client-go's retry-on-conflict, rely on it).
    /// </summary>
    private void CheckVersion(KindName kind, ObjectKey key, string given)
    {
        if (ServedVersion(kind, key) is { } current && given != current)
        {
            throw new RequestRefusedException(409, "Conflict", $"Operation cannot be fulfilled on {kind.Plural}{(kind.Group.Length > 0 ? "." + kind.Group : "")} \"{key.Name}\": the object has been modified; please apply your changes to the latest version and try again");
        }
    }

    /// <summary>The object's resourceVersion as served; null for a kind the lab takes but does not serve.</summary>
    private string? ServedVersion(KindName kind, ObjectKey key)
    {
        if (ApiResources.Find(kind.Group, kind.Version, kind.Plural) is not { } resource)
        {
            return null;
        }

        return store.Snapshot.VersionOf(resource, kind.Namespaced ? $"{key.Namespace}/{key.Name}" : key.Name).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string? VersionOf(JsonObject written) => (written["metadata"] as JsonObject)?["resourceVersion"] is JsonValue given ? given.ToString() : null;

    /// <summary>
    /// Fields the server owns, which a client sends back from what it read: the lab keeps only what was written (the
    /// uid stays: a dump's own uid is kept, and one the lab derived is derived again the same).
    /// </summary>
    private static void WithoutServerFields(JsonObject written)
    {
        if (written["metadata"] is JsonObject metadata)
        {
            foreach (var field in new[] { "resourceVersion", "managedFields", "generation", "selfLink" })
            {
                metadata.Remove(field);
            }
        }
    }
}
