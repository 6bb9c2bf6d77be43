using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Maille.Kube;
using Maille.Kube.Fields;
using Maille.Kube.Patching;
using Maille.Kube.Schema;
using Microsoft.AspNetCore.Http;

namespace Maille.Lab.Api;

public sealed partial class LabApiServer
{
    /// <summary>
    /// Server-side apply (a PATCH of type <see cref="ObjectPatch.ApplyPatchType"/>): the applied configuration is merged into the
    /// object by its schema (<see cref="FieldManager.Apply"/>), or creates it, owned by <c>fieldManager</c>, which is
    /// required. A field another manager owns and the configuration would change is a 409 Conflict naming each field,
    /// unless <c>force=true</c>, which takes them. Planned as one change like every write.
    /// </summary>
    private async Task ServerSideApply(HttpContext http, KindName kind, string? ns, string name, WriteOptions options, string body)
    {
        if (http.Request.Query["fieldManager"].FirstOrDefault() is not { Length: > 0 })
        {
            await Status(http, 422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
            return;
        }

        if (http.Request.Query["force"].FirstOrDefault() is { } forceText && forceText is not ("true" or "false"))
        {
            await Status(http, 400, "BadRequest", $"force: Invalid value: \"{forceText}\": must be true or false");
            return;
        }

        JsonObject config;
        try
        {
            config = ManifestDocument.Parse(Source(http), body) is [var document]
                ? ManifestJson.Of(document)
                : throw new FormatException("an applied configuration is one object");
        }
        catch (FormatException e)
        {
            await Status(http, 400, "BadRequest", e.Message);
            return;
        }

        var key = kind.Key(ns, name);
        var metadata = config["metadata"] as JsonObject;
        static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node?.ToJsonString();
        if (Text(config["apiVersion"]) != kind.ApiVersion || Text(config["kind"]) != kind.Kind || Text(metadata?["name"]) != name
            || (kind.Namespaced && metadata?["namespace"] is { } configNamespace && Text(configNamespace) != ns))
        {
            await Status(http, 400, "BadRequest", $"the applied configuration must be one {kind.ApiVersion} {kind.Kind} named as the path says");
            return;
        }

        var type = ModelTypes.Of(kind.ApiVersion, kind.Kind);
        var version = VersionOf(config);
        var unknown = UnknownFields.Prune(config, kind);   // dropped, as the API server drops them; Strict refuses them
        WithoutServerFields(config);
        var writer = WriterOf(http, kind, subresource: null);
        var force = http.Request.Query["force"].FirstOrDefault() == "true";
        var created = false;
        ImmutableArray<ManagedFieldsEntry> managed = [];
        if (await PlannedAsync(
            m =>
            {
                var exists = m.TryGet(key, out var stored);
                created = !exists;
                if (exists && version is not null)
                {
                    CheckVersion(kind, key, version);
                }

                options.Judge(http, kind, unknown);
                var live = exists ? ManifestJson.Of(stored) : [];
                ApplyOutcome outcome;
                try
                {
                    outcome = FieldManager.Apply(m.ManagedFieldsOf(key), live, config, type, writer, force);
                }
                catch (FormatException e)
                {
                    throw new RequestRefusedException(422, "Invalid", $"{Named(key)} is invalid: {e.Message}");
                }

                if (outcome.Conflicts.Count > 0)
                {
                    throw Conflict(outcome.Conflicts);
                }

                managed = outcome.ManagedFields;
                var applied = Document(exists ? stored.Source : Source(http), outcome.Object!);
                return exists
                    ? Change(m, stored, applied, managed)
                    : m.Apply([applied], TimeProvider.System.GetUtcNow(), new Dictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>> { [key] = managed });
            },
            options.DryRun,
            http) is not { } result)
        {
            return;
        }

        await AnswerWithObject(http, result, kind, key, "applied", created, managed);
    }

    /// <summary>
    /// Who writes: the request's <c>fieldManager</c>, else the program that sent it (the User-Agent up to its first
    /// <c>/</c>: <c>kubectl</c>, <c>curl</c>), as the API server names an Update's manager.
    /// </summary>
    private static FieldWriter WriterOf(HttpContext http, KindName kind, string? subresource)
    {
        var manager = http.Request.Query["fieldManager"].FirstOrDefault() is { Length: > 0 } given
            ? given
            : (http.Request.Headers.UserAgent.FirstOrDefault() ?? "").Split('/')[0];
        return new FieldWriter(manager.Length > 128 ? manager[..128] : manager, kind.ApiVersion, subresource, TimeProvider.System.GetUtcNow());
    }

    /// <summary>
    /// The managed fields after an Update from <paramref name="before"/> (empty: a create) to <paramref name="after"/>,
    /// starting from <paramref name="entries"/>. An object whose lists cannot be keyed (an item without its merge key,
    /// which the lab has always stored as written) keeps the owners it had.
    /// </summary>
    private static ImmutableArray<ManagedFieldsEntry> Updated(ImmutableArray<ManagedFieldsEntry> entries, JsonObject before, JsonObject after, KindName kind, FieldWriter writer)
    {
        try
        {
            return FieldManager.Update(entries, before, after, ModelTypes.Of(kind.ApiVersion, kind.Kind), writer);
        }
        catch (FormatException)
        {
            return entries;
        }
    }

    /// <summary>
    /// The managed fields an Update starts from, as the API server decides: the ones the written object carries when
    /// it carries some that can be read (a client may set them: kubectl moves a client-side apply's fields to its
    /// server-side manager so), none when it carries exactly <c>[{}]</c> (the documented reset), else the live ones
    /// (a client that does not know managed fields cannot drop them by leaving them out).
    /// </summary>
    private static ImmutableArray<ManagedFieldsEntry> ManagedBase(JsonNode? written, ImmutableArray<ManagedFieldsEntry> live)
    {
        if (written is JsonArray { Count: 1 } reset && reset[0] is JsonObject { Count: 0 })
        {
            return [];
        }

        try
        {
            return written is JsonArray { Count: > 0 } ? FieldManager.FromJson(written) : live;
        }
        catch (FormatException)
        {
            return live;
        }
    }

    private static RequestRefusedException Conflict(IReadOnlyList<FieldConflict> conflicts) => new(
        409,
        "Conflict",
        FieldConflict.Message(conflicts),
        new JsonObject
        {
            ["causes"] = new JsonArray([.. conflicts.Select(c => (JsonNode)new JsonObject
            {
                ["reason"] = "FieldManagerConflict",
                ["message"] = $"conflict with {c.Manager}",
                ["field"] = c.Field,
            })]),
        });

    private static ManifestDocument Document(string source, JsonObject written)
    {
        try
        {
            return ManifestDocument.Parse(source, written.ToJsonString()) is [var document] ? document
                : throw new RequestRefusedException(422, "Invalid", "a write must leave one object");
        }
        catch (FormatException e)
        {
            throw new RequestRefusedException(422, "Invalid", e.Message);
        }
    }
}
