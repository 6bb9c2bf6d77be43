using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Maille.Lab.Api;

/// <summary>
/// Aggregated discovery (<c>apidiscovery.k8s.io/v2</c>, and the <c>v2beta1</c> older clients ask for): every group
/// version's resources in one answer to <c>/api</c> (the core group) or <c>/apis</c> (the others), which kubectl 1.30+
/// and client-go ask for first, so one request replaces one per group version. Chosen by the request's
/// <c>Accept</c> header (<c>application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList</c>), in the client's
/// order; a client that asks only for plain JSON gets the legacy documents.
/// </summary>
internal static class AggregatedDiscovery
{
    private const string Group = "apidiscovery.k8s.io";

    /// <summary>The aggregated version the client asks for first (<c>v2</c> or <c>v2beta1</c>), or null for the legacy document.</summary>
    public static string? Negotiate(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted))
        {
            return null;
        }

        foreach (var media in accepted.OrderByDescending(m => m.Quality ?? 1))
        {
            string? Parameter(string name) => media.Parameters.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value.Value;
            if (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) && Parameter("as") is null)
            {
                // Plain JSON listed before any aggregated form: the client prefers the legacy documents.
                return null;
            }

            if (Parameter("g") == Group && Parameter("as") == "APIGroupDiscoveryList" && Parameter("v") is "v2" or "v2beta1"
                && media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            {
                return Parameter("v");
            }
        }

        return null;
    }

    /// <summary>The media type of an aggregated answer, which clients check before they read it as one.</summary>
    public static string ContentType(string version) => $"application/json;g={Group};v={version};as=APIGroupDiscoveryList";

    /// <summary>The <c>APIGroupDiscoveryList</c> of the core group (<paramref name="core"/>) or of every other group.</summary>
    public static JsonObject List(bool core, string version) => new()
    {
        ["kind"] = "APIGroupDiscoveryList",
        ["apiVersion"] = $"{Group}/{version}",
        ["metadata"] = new JsonObject(),
        ["items"] = new JsonArray([.. Discovery.GroupVersions().Where(g => (g.Group.Length == 0) == core).GroupBy(g => g.Group).Select(g => (JsonNode)new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = g.Key, ["creationTimestamp"] = null },
            ["versions"] = new JsonArray([.. g.Select(v => (JsonNode)Version(v.Group, v.Version))]),
        })]),
    };

    private static JsonObject Version(string group, string version)
    {
        var catalog = Discovery.Catalog(group, version);
        return new JsonObject
        {
            ["version"] = version,
            ["resources"] = new JsonArray([.. catalog.Where(r => r.Subresource is null).Select(r => (JsonNode)new JsonObject
            {
                ["resource"] = r.Resource,
                ["responseKind"] = Kind(group, version, r),
                ["scope"] = r.Namespaced ? "Namespaced" : "Cluster",
                ["singularResource"] = r.Singular,
                ["verbs"] = Strings(r.Verbs),
                ["shortNames"] = Strings(r.ShortNames),
                ["subresources"] = new JsonArray([.. catalog.Where(s => s.Resource == r.Resource && s.Subresource is not null).Select(s => (JsonNode)new JsonObject
                {
                    ["subresource"] = s.Subresource,
                    ["responseKind"] = Kind(group, version, s),
                    ["verbs"] = Strings(s.Verbs),
                })]),
            })]),
            ["freshness"] = "Current",
        };
    }

    private static JsonObject Kind(string group, string version, DiscoveredResource resource) => new()
    {
        ["group"] = resource.ResponseGroup ?? group,
        ["version"] = resource.ResponseVersion ?? version,
        ["kind"] = resource.Kind,
    };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
}
