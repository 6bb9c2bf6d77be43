using System.Collections.Immutable;
using System.Text;
using System.Text.Json.Nodes;
using Maille.Kube;
using Maille.Kube.Fields;
using Maille.Kube.Patching;
using Maille.Kube.Protobuf;
using Maille.Kube.Schema;
using Maille.Lab.Labs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Maille.Lab.Api;

public sealed partial class LabApiServer
{
    /// <summary>The group of Maille's own verbs (batch apply, delete, label; node stop and start).</summary>
    public const string MailleGroup = "maille.dev/v1alpha1";

    private void MapWrites(WebApplication app)
    {
        app.MapPost($"/apis/{MailleGroup}/apply", async (HttpContext http) =>
        {
            if (await Documents(http) is { } documents)
            {
                await Change(http, m => m.Apply(RefusingTerminating(m, documents), TimeProvider.System.GetUtcNow()));
            }
        });
        app.MapPost($"/apis/{MailleGroup}/delete", async (HttpContext http) =>
        {
            if (await Documents(http) is { } documents)
            {
                await Change(http, m => m.Delete(documents.Select(d => d.Key)));
            }
        });
        app.MapPost($"/apis/{MailleGroup}/label", async (HttpContext http) =>
        {
            if (JsonNode.Parse(await Body(http)) is not JsonObject request || !IsLabelChange(request["labels"])
                || !IsString(request["kind"]) || !IsString(request["name"]) || !(request["namespace"] is null || IsString(request["namespace"]))
                || request["overwrite"]?.GetValueKind() is not (null or System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
            {
                await Status(http, 400, "BadRequest", "a label request is {\"kind\", \"namespace\", \"name\", \"labels\": {\"key\": \"value\" or null}, \"overwrite\"}");
                return;
            }

            var kind = KindNames.Find((string?)request["kind"] ?? "");
            if (kind is null)
            {
                await Status(http, 400, "BadRequest", $"the server doesn't have a resource type \"{(string?)request["kind"]}\"");
                return;
            }

            var key = kind.Key((string?)request["namespace"], (string?)request["name"] ?? "");
            var labels = request["labels"]!.AsObject().ToDictionary(p => p.Key, p => (string?)p.Value, StringComparer.Ordinal);
            await Change(http, m => m.Label(key, labels, (bool?)request["overwrite"] ?? false));
        });
        app.MapPost($"/apis/{MailleGroup}/nodes/{{node}}/{{verb}}", async (HttpContext http, string node, string verb) =>
        {
            if (verb is not ("stop" or "start"))
            {
                await Status(http, 404, "NotFound", $"unknown node verb {verb}");
                return;
            }

            try
            {
                await Controller.SetNodeAsync(node, verb == "start", http.RequestAborted);
                await Json(http, 200, new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Success", ["message"] = $"node {node} {verb}" });
            }
            catch (KeyNotFoundException e)
            {
                await Status(http, 404, "NotFound", e.Message);
            }
        });

        app.MapGet($"/apis/{MailleGroup}/nodeagents", (HttpContext http) =>
        {
            var agents = NodeAgentsResource.Render(Controller.Agents.Values, Controller.AgentReports, Controller.AgentProcesses);
            return TableResponse.IsWanted(http.Request.Headers)
                ? Json(http, 200, NodeAgentsResource.Table(agents, store.Current.Version, http.Request.Query["includeObject"]))
                : Json(http, 200, agents);
        });
        app.MapGet($"/apis/{MailleGroup}/nodeagents/{{node}}", (HttpContext http, string node) =>
        {
            var agents = NodeAgentsResource.Render(Controller.Agents.Values.Where(a => a.Node == node), Controller.AgentReports, Controller.AgentProcesses);
            return agents["items"]!.AsArray() is [{ } one]
                ? TableResponse.IsWanted(http.Request.Headers) ? Json(http, 200, NodeAgentsResource.Table(agents, store.Current.Version, http.Request.Query["includeObject"])) : Json(http, 200, one.DeepClone())
                : Status(http, 404, "NotFound", $"nodeagents.maille.dev \"{node}\" not found");
        });
        app.MapPut($"/apis/{MailleGroup}/nodeagents/{{node}}/status", ReportAgent);
        app.MapGet($"/apis/{MailleGroup}/policycounters", (HttpContext http) => Json(http, 200, PolicyCountersResource.Render(Controller.Agents.Values)));
        app.MapGet($"/apis/{MailleGroup}/nodeagents/{{node}}/trace", (HttpContext http, string node) =>
            Controller.Agents.TryGetValue(node, out var agent)
                ? Json(http, 200, NodeAgentsResource.Trace(agent, Controller.Agents, http.Request.Query))
                : Status(http, 404, "NotFound", $"lab has no node {node}"));

        // The Kubernetes verbs, one object each.
        foreach (var prefix in new[] { "/api/{version}", "/apis/{group}/{version}" })
        {
            app.MapDelete(prefix + "/namespaces/{ns}/{plural}/{name}", (HttpContext http, string? group, string version, string ns, string plural, string name) => DeleteOne(http, group ?? "", plural, ns, name));
            app.MapDelete(prefix + "/{plural}/{name}", (HttpContext http, string? group, string version, string plural, string name) => DeleteOne(http, group ?? "", plural, null, name));
            app.MapPost(prefix + "/namespaces/{ns}/{plural}", (HttpContext http, string? group, string version, string ns, string plural) => Write(http, group ?? "", plural, ns, null, create: true));
            app.MapPost(prefix + "/{plural}", (HttpContext http, string? group, string version, string plural) => Write(http, group ?? "", plural, null, null, create: true));
            app.MapPut(prefix + "/namespaces/{ns}/{plural}/{name}", (HttpContext http, string? group, string version, string ns, string plural, string name) => Write(http, group ?? "", plural, ns, name, create: false));
            app.MapPut(prefix + "/{plural}/{name}", (HttpContext http, string? group, string version, string plural, string name) => Write(http, group ?? "", plural, null, name, create: false));
            app.MapPatch(prefix + "/namespaces/{ns}/{plural}/{name}", (HttpContext http, string? group, string version, string ns, string plural, string name) => Patch(http, group ?? "", plural, ns, name));
            app.MapPatch(prefix + "/{plural}/{name}", (HttpContext http, string? group, string version, string plural, string name) => Patch(http, group ?? "", plural, null, name));
        }
    }

    private LabController Controller => controller ?? throw new InvalidOperationException("this API server is read-only");

    private static string Source(HttpContext http) => http.Request.Headers["X-Maille-Source"].FirstOrDefault() is { Length: > 0 } name ? name : "request";

    private static async Task<string> Body(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(http.RequestAborted);
    }

    private static async Task<byte[]> Bytes(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        return buffer.ToArray();
    }

    /// <summary>
    /// The request body's objects, or null after answering 400 when it cannot be read. A protobuf body (kubectl's typed
    /// clients send built-in kinds so) is read into JSON first, and goes on as a JSON body would.
    /// </summary>
    private static async Task<IReadOnlyList<ManifestDocument>?> Documents(HttpContext http, Func<string, string>? complete = null)
    {
        try
        {
            var body = KubeProtobuf.Is(http.Request.ContentType) ? KubeProtobuf.Read(await Bytes(http)).ToJsonString() : await Body(http);
            return ManifestDocument.Parse(Source(http), complete is null ? body : complete(body));
        }
        catch (FormatException e)
        {
            await Status(http, 400, "BadRequest", e.Message);
            return null;
        }
    }

    /// <summary>
    /// Plans one object's write through the controller; null after answering the refusal (a conflict, a precondition)
    /// that the change raised while it was planned.
    /// </summary>
    private async Task<LabChangeResult?> PlannedAsync(Func<LabManifests, LabChange> change, bool dryRun, HttpContext http)
    {
        try
        {
            return await Controller.ChangeAsync(change, http.RequestAborted, dryRun);
        }
        catch (RequestRefusedException refused)
        {
            await Refused(http, refused);
            return null;
        }
    }

    /// <summary>Runs a change through the controller and answers with kubectl-style outcomes, or the errors (422).</summary>
    private async Task Change(HttpContext http, Func<LabManifests, LabChange> change)
    {
        var result = await Controller.ChangeAsync(change, http.RequestAborted);
        await Json(http, result.Succeeded ? 200 : 422, Render(result));
    }

    private static JsonObject Render(LabChangeResult result) => new()
    {
        ["kind"] = "ChangeResult",
        ["apiVersion"] = MailleGroup,
        ["outcomes"] = new JsonArray([.. result.Outcomes.Select(o => (JsonNode)new JsonObject
        {
            ["group"] = o.Key.Group,
            ["kind"] = o.Key.Kind,
            ["namespace"] = o.Key.Namespace,
            ["name"] = o.Key.Name,
            ["action"] = o.Action,
            ["text"] = o.ToString(),
        })]),
        ["notFound"] = new JsonArray([.. result.NotFound.Select(k => (JsonNode)new JsonObject
        {
            ["group"] = k.Group,
            ["kind"] = k.Kind,
            ["namespace"] = k.Namespace,
            ["name"] = k.Name,
            ["text"] = NotFoundText(k),
        })]),
        ["errors"] = new JsonArray([.. result.Errors.Select(e => (JsonNode)JsonValue.Create(e))]),
    };

    /// <summary>The object as the API server names it in a message: <c>services "web"</c>.</summary>
    private static string Named(ObjectKey key) => NotFoundText(key)[..^" not found".Length];

    private static string NotFoundText(ObjectKey key) =>
        $"{KindNames.All.FirstOrDefault(k => k.Kind == key.Kind && k.Group == key.Group)?.Plural ?? key.Kind.ToLowerInvariant()}{(key.Group.Length > 0 ? "." + key.Group : "")} \"{key.Name}\" not found";

    private async Task DeleteOne(HttpContext http, string group, string plural, string? ns, string name)
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

        // kubectl sends its options as a DeleteOptions body ({"dryRun": ["All"], "propagationPolicy": …}), not in the query.
        JsonObject? deleteOptions;
        try
        {
            deleteOptions = await Body(http) is { Length: > 0 } text ? JsonNode.Parse(text) as JsonObject : null;
        }
        catch (System.Text.Json.JsonException e)
        {
            await Status(http, 400, "BadRequest", $"the DeleteOptions body is not JSON: {e.Message}");
            return;
        }

        var dryRun = options.DryRun || (deleteOptions?["dryRun"] as JsonArray)?.Any(v => (string?)v == "All") == true;
        var key = kind.Key(ns, name);
        if (PropagationProblem(kind, deleteOptions?["propagationPolicy"]) is { } problem)
        {
            await Status(http, problem.Code, problem.Reason, problem.Message);
            return;
        }

        if (kind is { Group: "", Kind: "Namespace" } && !dryRun)
        {
            // As the API server: the namespace answers Terminating, and goes once everything in it is gone.
            if (!await Controller.TerminateNamespaceAsync(name, http.RequestAborted))
            {
                await Status(http, 404, "NotFound", NotFoundText(key));
                return;
            }

            var view = store.Snapshot;
            var resource = ApiResources.Find("", "v1", "namespaces")!;
            await Json(http, 200, view.Write(resource, Select(resource, view.Cluster, null, name).First()));
            return;
        }

        // The uid of what is deleted goes in the answer's details, as the API server's: kubectl waits for that uid to go,
        // and a StatefulSet's pod is made again at once under the same name (with a new uid).
        var deleting = ApiResources.Find(kind.Group, kind.Version, kind.Plural) is { } served
            ? Select(served, store.Snapshot.Cluster, kind.Namespaced ? ns : null, name).FirstOrDefault()
            : null;
        var result = await Controller.ChangeAsync(m => LabReplicaSetController.Delete(m, Controller.Published, key, TimeProvider.System.GetUtcNow()), http.RequestAborted, dryRun);
        await Answer(http, result, key, "deleted", deleting is null ? null : new JsonObject
        {
            ["name"] = name,
            ["group"] = kind.Group,
            ["kind"] = kind.Plural,
            ["uid"] = ObjectUid.Of(kind.Kind, deleting.Meta),
        });
    }

    /// <summary>
    /// A delete's <c>propagationPolicy</c>. Background and Foreground are what the lab does anyway: a workload's
    /// ReplicaSets and pods are planned from it, so they go in the same change as their owner (Foreground's "after the
    /// dependents" holds trivially). Orphan would leave them ownerless, which a plan cannot express: refused for the
    /// kinds that own objects, and meaningless (so accepted) for the rest.
    /// </summary>
    private static (int Code, string Reason, string Message)? PropagationProblem(KindName kind, JsonNode? policy) => (string?)policy switch
    {
        null or "Background" or "Foreground" => null,
        "Orphan" when kind.Group == "apps" => (422, "Invalid", $"propagationPolicy Orphan is not supported by the lab: a {kind.Kind}'s ReplicaSets and pods are planned from it and cannot outlive it (use Background or Foreground)"),
        "Orphan" => null,
        var other => (422, "Invalid", $"DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"{other}\": supported values: \"Foreground\", \"Background\", \"Orphan\""),
    };

    private async Task Write(HttpContext http, string group, string plural, string? ns, string? name, bool create)
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

        string? version = null;
        IReadOnlyList<string> unknown = [];
        JsonNode? writtenManaged = null;
        if (await Documents(http, body => WithPathDefaults(body, kind, ns, name, out version, out unknown, out writtenManaged)) is not { } documents)
        {
            return;
        }

        if (documents.Count != 1 || documents[0].Key.Kind != kind.Kind || (name is not null && documents[0].Key.Name != name)
            || (kind.Namespaced && ns is not null && documents[0].Key.Namespace != ns))
        {
            await Status(http, 400, "BadRequest", $"the body must be one {kind.Kind} named as the path says");
            return;
        }

        var key = documents[0].Key;
        if (PathSegmentNameProblem(key.Name) is { } problem)
        {
            await Status(http, 422, "Invalid", $"{Named(key)} is invalid: metadata.name: Invalid value: \"{key.Name}\": {problem}");
            return;
        }

        // As the API server: a create of an existing object conflicts, a replace of a missing one is not found, a
        // replace of another version than the one it names conflicts.
        var writer = WriterOf(http, kind, subresource: null);
        ImmutableArray<ManagedFieldsEntry> managed = [];
        if (await PlannedAsync(
            m =>
            {
                var exists = m.TryGet(key, out var stored);
                if (exists && create)
                {
                    throw new InvalidOperationException($"{Named(key)} already exists");
                }

                if (!exists && !create)
                {
                    return new LabChange(m, [], [key]);
                }

                if (create && kind.Namespaced && Controller.IsTerminating(key.Namespace))
                {
                    throw new RequestRefusedException(403, "Forbidden", TerminatingRefusal(key));
                }

                if (exists && version is not null)
                {
                    CheckVersion(kind, key, version);
                }

                options.Judge(http, kind, unknown);
                managed = Updated(ManagedBase(writtenManaged, m.ManagedFieldsOf(key)), exists ? ManifestJson.Of(stored) : [], ManifestJson.Of(documents[0]), kind, writer);
                return m.Apply(documents, TimeProvider.System.GetUtcNow(), new Dictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>> { [key] = managed });
            },
            options.DryRun,
            http) is not { } result)
        {
            return;
        }

        await AnswerWithObject(http, result, kind, key, create ? "created" : "replaced", create, managed);
    }

    /// <summary>The namespace lifecycle admission's words for an object created in a namespace being deleted.</summary>
    private static string TerminatingRefusal(ObjectKey key) =>
        $"{Named(key)} is forbidden: unable to create new content in namespace {key.Namespace} because it is being terminated";

    /// <summary>
    /// A batch apply's documents, unless one would create an object in a namespace being deleted: then the whole batch
    /// is refused (one transaction, as every batch), each such object named in the API server's words.
    /// </summary>
    private IReadOnlyList<ManifestDocument> RefusingTerminating(LabManifests manifests, IReadOnlyList<ManifestDocument> documents)
    {
        var refused = documents.Where(d => d.Key.Namespace.Length > 0 && Controller.IsTerminating(d.Key.Namespace) && !manifests.TryGet(d.Key, out _)).ToList();
        return refused.Count == 0
            ? documents
            : throw new InvalidOperationException(string.Join("\n", refused.Select(d => TerminatingRefusal(d.Key))) + "\nnothing of this apply was applied");
    }

    /// <summary>
    /// The kind a write's path names, only where it lives: a namespaced kind under <c>namespaces/NS/</c>, a cluster-scoped
    /// one outside. <c>POST /apis/apps/v1/deployments</c> once created a Deployment in <c>default</c>.
    /// </summary>
    private static KindName? ScopedKind(string group, string plural, string? ns) =>
        KindNames.ByPlural(group, plural) is { } kind && kind.Namespaced == (ns is not null) ? kind : null;

    /// <summary>The API server's rule for any name that appears in a path: not "." or "..", no "/" or "%".</summary>
    private static string? PathSegmentNameProblem(string name) =>
        name is "." or ".." ? $"may not be '{name}'"
        : name.Contains('/', StringComparison.Ordinal) ? "may not contain '/'"
        : name.Contains('%', StringComparison.Ordinal) ? "may not contain '%'"
        : null;

    private static bool IsString(JsonNode? node) => node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String;

    /// <summary>Labels to set (strings) or remove (null), as a merge patch or a label request holds them.</summary>
    private static bool IsLabelChange(JsonNode? node) => node is JsonObject labels && labels.All(l => l.Value is null || IsString(l.Value));

    /// <summary>
    /// A JSON body completed from its path, as the API server decodes it: typed clients (KubernetesClient, client-go)
    /// may leave out <c>apiVersion</c> and <c>kind</c>, and <c>metadata.namespace</c>, which the path already says.
    /// Anything else (YAML, a list) is left as it is.
    /// </summary>
    private static string WithPathDefaults(string body, KindName kind, string? ns, string? name, out string? version, out IReadOnlyList<string> unknown, out JsonNode? managedFields)
    {
        version = null;
        unknown = [];
        managedFields = null;
        if (!body.TrimStart().StartsWith('{') || JsonNode.Parse(body) is not JsonObject root)
        {
            return body;
        }

        version = VersionOf(root);
        managedFields = root["metadata"]?["managedFields"]?.DeepClone();
        // Fields the kind does not have are dropped, as the API server drops them when it decodes; Strict refuses them.
        unknown = UnknownFields.Prune(root, kind);
        WithoutServerFields(root);

        root["apiVersion"] ??= kind.ApiVersion;
        root["kind"] ??= kind.Kind;
        if (root["metadata"] is JsonObject metadata)
        {
            if (kind.Namespaced && ns is not null)
            {
                metadata["namespace"] ??= ns;
            }

            if (name is not null)
            {
                metadata["name"] ??= name;
            }
        }

        return root.ToJsonString();
    }

    private static Task Answer(HttpContext http, LabChangeResult result, ObjectKey key, string verb, JsonObject? details = null)
    {
        if (result.NotFound.Count > 0)
        {
            return Status(http, 404, "NotFound", NotFoundText(key));
        }

        if (!result.Succeeded)
        {
            var conflict = result.Errors.Any(e => e.EndsWith("already exists", StringComparison.Ordinal));
            return Status(http, conflict ? 409 : 422, conflict ? "AlreadyExists" : "Invalid", string.Join("\n", result.Errors));
        }

        var status = new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["message"] = $"{key.Display} {verb}" };
        if (details is not null)
        {
            status["details"] = details;
        }

        return Json(http, 200, status);
    }

    /// <summary>
    /// After a create, replace or patch, the object as the lab now serves it (201 for a create), as the API server
    /// answers and typed clients expect (every kind the lab takes is served); a success Status when the plan does not
    /// hold the object after all.
    /// </summary>
    /// <param name="managed">The object's managed fields after the write (served with a dry run's answer, which the store never sees).</param>
    private Task AnswerWithObject(HttpContext http, LabChangeResult result, KindName kind, ObjectKey key, string verb, bool create, ImmutableArray<ManagedFieldsEntry> managed)
    {
        var view = store.Snapshot;
        var cluster = result.DryRun ?? view.Cluster;
        if (result.Succeeded && result.NotFound.Count == 0
            && ApiResources.Find(kind.Group, kind.Version, kind.Plural) is { } resource
            && Select(resource, cluster, kind.Namespaced ? key.Namespace : null, key.Name).FirstOrDefault() is { } served)
        {
            // A dry run's object is in no published state: it is answered as planned, with the managed fields it would have.
            return Json(http, create ? 201 : 200, result.DryRun is null ? view.Write(resource, served) : ApiJson.Write(served, view.VersionOf(resource, served.Meta.QualifiedName), managed));
        }

        return Answer(http, result, key, verb);
    }
}
