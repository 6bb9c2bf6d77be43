using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Maille.Kube;
using Maille.Kube.Patching;
using Maille.Kube.Schema;

namespace Maille.Lab.Api;

/// <summary>
/// The API's OpenAPI v3 documents (<c>/openapi/v3</c> and one per group version), as kubectl reads them: its index
/// says where each group version's document is, with a hash for caching; each document has the paths of the kinds of
/// that group version (their PATCH takes <c>fieldValidation</c>, which tells kubectl to let the server validate) and
/// their schemas (<see cref="OpenApiSchemas"/>, for <c>kubectl explain</c> and the merge keys of <c>kubectl apply</c>).
/// Built once per process: they follow the code, not the lab.
/// </summary>
internal static class OpenApiDocuments
{
    private static readonly ConcurrentDictionary<string, (string Json, string Hash)> Documents = new(StringComparer.Ordinal);

    /// <summary>
    /// The kinds served read-only (events, the nodes' leases): no manifest may hold them, yet kubectl explains them from
    /// here as on a cluster. Taken from the resources the API serves, as discovery takes them.
    /// </summary>
    private static readonly IReadOnlyList<KindName> ReadOnly =
    [
        .. ApiResources.All.Append(ApiResources.Events).Append(ApiResources.EventsV1)
            .Where(r => KindNames.ByPlural(r.Group, r.Plural) is null)
            .Select(r => new KindName(r.Group, r.Version, r.Kind, r.Plural, r.Namespaced)),
    ];

    /// <summary>The review <c>kubectl auth can-i</c> creates: served for create only, as discovery lists it.</summary>
    private static readonly KindName AccessReview = new(LabApiServer.AuthorizationGroup, "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews", false);

    /// <summary>Each group version's path in the index (<c>api/v1</c>, <c>apis/apps/v1</c>), with its kinds.</summary>
    private static IEnumerable<IGrouping<string, KindName>> GroupVersions =>
        KindNames.All.Concat(ReadOnly).Append(AccessReview).GroupBy(k => k.Group.Length == 0 ? $"api/{k.Version}" : $"apis/{k.Group}/{k.Version}");

    public static JsonObject Index() => new()
    {
        ["paths"] = new JsonObject(GroupVersions.Select(g => KeyValuePair.Create(g.Key, (JsonNode?)new JsonObject
        {
            ["serverRelativeURL"] = $"/openapi/v3/{g.Key}?hash={Document(g.Key)!.Value.Hash}",
        }))),
    };

    /// <summary>The document of one group version (<c>api/v1</c>), or null when the API has no such group version.</summary>
    public static (string Json, string Hash)? Document(string groupVersion)
    {
        if (Documents.TryGetValue(groupVersion, out var built))
        {
            return built;
        }

        var kinds = GroupVersions.FirstOrDefault(g => g.Key == groupVersion)?.ToList();
        if (kinds is null)
        {
            return null;
        }

        var json = Build(groupVersion, kinds).ToJsonString();
        return Documents.GetOrAdd(groupVersion, (json, Convert.ToHexString(SHA512.HashData(Encoding.UTF8.GetBytes(json)))));
    }

    private static JsonObject Build(string groupVersion, IReadOnlyList<KindName> kinds)
    {
        var typed = kinds.Select(k => (Kind: k, Type: ModelTypes.Of(k.ApiVersion, k.Kind))).ToList();
        var schemas = OpenApiSchemas.For(typed.Where(t => t.Type is not null).Select(t => (t.Type!, t.Kind.Group, t.Kind.Version, t.Kind.Kind)));
        foreach (var (kind, _) in typed.Where(t => t.Type is null))
        {
            // A custom resource's schema is its CRD's, as the API server publishes it (MetalLB's, the Gateway API's and
            // network-policy-api's own, embedded); the lab validates these kinds itself.
            var schema = CustomResourceSchemas.Of(kind.Kind, kind.Version)
                ?? new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
            schema["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(kind));
            schemas[SchemaName(kind, null)] = schema;
        }

        var paths = new JsonObject();
        foreach (var (kind, type) in typed)
        {
            var collection = $"/{groupVersion}{(kind.Namespaced ? "/namespaces/{namespace}" : "")}/{kind.Plural}";
            var schema = new JsonObject { ["$ref"] = $"#/components/schemas/{SchemaName(kind, type)}" };
            if (ReferenceEquals(kind, AccessReview))
            {
                paths[collection] = new JsonObject
                {
                    ["post"] = Operation(kind, "post", schema, writes: true, bodyTypes: ["application/json", "application/yaml"]),
                    ["parameters"] = PathParameters(namespaced: false, named: false),
                };
                continue;
            }

            if (ReadOnly.Contains(kind))
            {
                paths[collection] = new JsonObject { ["get"] = Operation(kind, "list", schema, writes: false), ["parameters"] = PathParameters(kind.Namespaced, named: false) };
                paths[collection + "/{name}"] = new JsonObject { ["get"] = Operation(kind, "get", schema, writes: false), ["parameters"] = PathParameters(kind.Namespaced, named: true) };
                continue;
            }

            paths[collection] = new JsonObject
            {
                ["get"] = Operation(kind, "list", schema, writes: false),
                ["post"] = Operation(kind, "post", schema, writes: true, bodyTypes: ["application/json", "application/yaml"]),
                ["parameters"] = PathParameters(kind.Namespaced, named: false),
            };
            paths[collection + "/{name}"] = new JsonObject
            {
                ["get"] = Operation(kind, "get", schema, writes: false),
                ["put"] = Operation(kind, "put", schema, writes: true, bodyTypes: ["application/json", "application/yaml"]),
                ["patch"] = Operation(kind, "patch", schema, writes: true, bodyTypes: type is null ? [ObjectPatch.JsonPatchType, ObjectPatch.MergePatchType, ObjectPatch.ApplyPatchType] : ObjectPatch.Types),
                ["delete"] = Operation(kind, "delete", schema, writes: false),
                ["parameters"] = PathParameters(kind.Namespaced, named: true),
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes (Maille lab)", ["version"] = $"v1.{Discovery.KubernetesMinor}.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static string SchemaName(KindName kind, Type? type) =>
        type is not null ? OpenApiSchemas.NameOf(type) : $"{string.Join('.', kind.Group.Split('.').Reverse())}.{kind.Version}.{kind.Kind}";

    private static JsonObject Gvk(KindName kind) => new() { ["group"] = kind.Group, ["version"] = kind.Version, ["kind"] = kind.Kind };

    private static JsonObject Operation(KindName kind, string action, JsonObject schema, bool writes, IReadOnlyList<string>? bodyTypes = null)
    {
        var operation = new JsonObject
        {
            ["operationId"] = $"{action}{kind.Kind}",
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = Gvk(kind),
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject
                {
                    ["description"] = "OK",
                    ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema.DeepClone() } },
                },
            },
        };
        if (writes)
        {
            operation["parameters"] = new JsonArray(
                Query("dryRun", "When present, the write is checked and planned but not kept. The only value is All."),
                Query("fieldManager", "The name of the actor making the change."),
                Query("fieldValidation", "What to do with fields the kind does not have: Ignore, Warn (the default) or Strict (refuse)."));
        }

        if (bodyTypes is not null)
        {
            operation["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject(bodyTypes.Select(t => KeyValuePair.Create(t, (JsonNode?)new JsonObject { ["schema"] = action == "patch" ? new JsonObject { ["type"] = "object" } : schema.DeepClone() }))),
            };
        }

        return operation;
    }

    private static JsonObject Query(string name, string description) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };

    private static JsonArray PathParameters(bool namespaced, bool named)
    {
        var parameters = new JsonArray();
        if (named)
        {
            parameters.Add(new JsonObject { ["name"] = "name", ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        }

        if (namespaced)
        {
            parameters.Add(new JsonObject { ["name"] = "namespace", ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        }

        return parameters;
    }
}
