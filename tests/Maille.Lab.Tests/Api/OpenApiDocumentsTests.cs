using System.Text.Json.Nodes;
using Maille.Lab.Api;

namespace Maille.Lab.Tests.Api;

/// <summary>
/// The OpenAPI v3 documents against discovery: every kind a client can find has a schema (what <c>kubectl explain</c>
/// reads) and paths with exactly the verbs discovery lists (what <c>kubectl apply</c> reads to choose server-side
/// validation). Maille's own group (<c>maille.dev</c>: node agents, read-only) is the one left out: it has no schema.
/// </summary>
public sealed class OpenApiDocumentsTests
{
    [Fact]
    public void Every_kind_discovery_lists_has_its_schema_and_the_paths_of_its_verbs_in_its_group_versions_document()
    {
        var missing = new List<string>();
        var checkedKinds = new List<string>();
        var index = OpenApiDocuments.Index()["paths"]!.AsObject();
        foreach (var (group, version) in Discovery.GroupVersions().Where(g => g.Group != "maille.dev"))
        {
            var groupVersion = group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";
            if (!index.ContainsKey(groupVersion) || OpenApiDocuments.Document(groupVersion) is not { } document)
            {
                missing.Add($"{groupVersion}: no document");
                continue;
            }

            var json = JsonNode.Parse(document.Json)!;
            var schemas = json["components"]!["schemas"]!.AsObject();
            var paths = json["paths"]!.AsObject();
            foreach (var resource in Discovery.Catalog(group, version).Where(r => r.Subresource is null))
            {
                checkedKinds.Add($"{groupVersion}/{resource.Resource}");
                var hasSchema = schemas.Any(s => s.Value!["x-kubernetes-group-version-kind"]?.AsArray()
                    .Any(g => (string?)g!["group"] == group && (string?)g["version"] == version && (string?)g["kind"] == resource.Kind) == true);
                if (!hasSchema)
                {
                    missing.Add($"{groupVersion} {resource.Kind}: no schema");
                }

                var collection = $"/{groupVersion}{(resource.Namespaced ? "/namespaces/{namespace}" : "")}/{resource.Resource}";
                var operations = new[] { collection, collection + "/{name}" }
                    .SelectMany(p => paths[p]?.AsObject().Where(o => o.Key != "parameters").Select(o => (string?)o.Value!["x-kubernetes-action"]) ?? [])
                    .ToHashSet();
                var expected = resource.Verbs.Select(v => v switch { "create" => "post", "update" => "put", "watch" => null, var other => other })
                    .OfType<string>().Where(v => v != "deletecollection").ToHashSet();
                if (!operations.SetEquals(expected))
                {
                    missing.Add($"{groupVersion} {resource.Resource}: operations [{string.Join(",", operations.Order())}], discovery [{string.Join(",", expected.Order())}]");
                }
            }
        }

        Assert.Empty(missing);
        Assert.Contains("api/v1/events", checkedKinds);
        Assert.Contains("apis/events.k8s.io/v1/events", checkedKinds);
        Assert.Contains("apis/coordination.k8s.io/v1/leases", checkedKinds);
        Assert.Contains("apis/authorization.k8s.io/v1/selfsubjectaccessreviews", checkedKinds);
        Assert.Contains("apis/apps/v1/deployments", checkedKinds);
    }
}
