using System.Text.Json.Nodes;
using Maille.Kube;
using Microsoft.AspNetCore.Http;

namespace Maille.Lab.Api;

/// <summary>
/// The API's discovery documents, as kubectl and the official clients read them first: <c>/api</c> (core versions),
/// <c>/apis</c> (groups) and one resource list per group version, listing every kind Maille reads, with its verbs.
/// </summary>
internal static class Discovery
{
    private static readonly string[] ReadVerbs = ["get", "list", "watch"];
    private static readonly string[] WriteVerbs = ["create", "delete", "get", "list", "patch", "update", "watch"];

    /// <summary>The Kubernetes minor version whose API semantics Maille follows (as kubectl's own version here, 1.32).</summary>
    public const string KubernetesMinor = "32";

    /// <summary>
    /// <c>GET /version</c>, what <c>kubectl version</c> prints as the server's: the Kubernetes version followed, with
    /// Maille's own version as build metadata (<c>v1.32.0+maille.1.0.0</c>).
    /// </summary>
    public static IResult ServerVersion()
    {
        return Results.Json(new JsonObject
        {
            ["major"] = "1",
            ["minor"] = KubernetesMinor,
            ["gitVersion"] = GitVersion,
            ["gitCommit"] = "",
            ["gitTreeState"] = "",
            ["buildDate"] = "",
            ["goVersion"] = "",
            ["compiler"] = "dotnet",
            ["platform"] = $"linux/{System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant() switch { "x64" => "amd64", "arm64" => "arm64", var other => other }}",
        });
    }

    /// <summary>The Kubernetes version followed, with Maille's as build metadata (also each lab node's kubelet version).</summary>
    public static string GitVersion
    {
        get
        {
            var maille = typeof(Discovery).Assembly.GetName().Version ?? new Version(0, 0, 0);
            return $"v1.{KubernetesMinor}.0+maille.{maille.Major}.{maille.Minor}.{maille.Build}";
        }
    }

    public static IResult Versions() => Results.Json(new JsonObject
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(),
    });

    public static IResult Groups() => Results.Json(new JsonObject
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. KindNames.All.Where(k => k.Group.Length > 0).GroupBy(k => k.Group).Select(g => Group(g.Key, g.First().Version))
            .Append(Group(ApiResources.EventsV1.Group, ApiResources.EventsV1.Version))
            .Append(Group(LabApiServer.AuthorizationGroup, "v1"))]),
    });

    private static JsonObject Group(string name, string version) => new()
    {
        ["name"] = name,
        ["versions"] = new JsonArray(new JsonObject { ["groupVersion"] = $"{name}/{version}", ["version"] = version }),
        ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{name}/{version}", ["version"] = version },
    };

    public static async Task Resources(HttpContext http, string group, string version)
    {
        if (group == LabApiServer.AuthorizationGroup && version == "v1")
        {
            // Only the review kubectl auth can-i creates; the lab keeps no other authorization objects.
            await http.Response.WriteAsJsonAsync(new JsonObject
            {
                ["kind"] = "APIResourceList",
                ["apiVersion"] = "v1",
                ["groupVersion"] = $"{group}/{version}",
                ["resources"] = new JsonArray(new JsonObject
                {
                    ["name"] = "selfsubjectaccessreviews",
                    ["singularName"] = "selfsubjectaccessreview",
                    ["namespaced"] = false,
                    ["kind"] = "SelfSubjectAccessReview",
                    ["verbs"] = new JsonArray("create"),
                }),
            });
            return;
        }

        // Events are served (read-only) but are no kind a manifest may hold.
        var events = new[] { ApiResources.Events, ApiResources.EventsV1 }.Where(r => r.Group == group && r.Version == version).Select(r => (JsonNode)new JsonObject
        {
            ["name"] = r.Plural,
            ["singularName"] = "event",
            ["namespaced"] = true,
            ["kind"] = r.Kind,
            ["verbs"] = new JsonArray([.. ReadVerbs.Select(v => (JsonNode)JsonValue.Create(v))]),
            ["shortNames"] = new JsonArray("ev"),
        }).ToList();
        var kinds = KindNames.All.Where(k => k.Group == group && k.Version == version).ToList();
        if (kinds.Count == 0 && events.Count == 0)
        {
            http.Response.StatusCode = 404;
            await http.Response.WriteAsJsonAsync(new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["reason"] = "NotFound", ["code"] = 404 });
            return;
        }

        await http.Response.WriteAsJsonAsync(new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = new JsonArray([.. kinds.Select(k => (JsonNode)new JsonObject
            {
                ["name"] = k.Plural,
                ["singularName"] = k.Singular,
                ["namespaced"] = k.Namespaced,
                ["kind"] = k.Kind,
                ["verbs"] = new JsonArray([.. (ApiResources.Find(k.Group, k.Version, k.Plural) is null ? WriteVerbs.Except(ReadVerbs) : WriteVerbs).Select(v => (JsonNode)JsonValue.Create(v))]),
                ["shortNames"] = new JsonArray([.. k.ShortNames.Select(n => (JsonNode)JsonValue.Create(n))]),
            }).Concat(events).Concat(kinds.Where(k => k.Plural is "deployments" or "replicasets" or "statefulsets").Select(k => (JsonNode)new JsonObject
            {
                // kubectl scale finds the Scale kind of a workload here.
                ["name"] = $"{k.Plural}/scale",
                ["singularName"] = "",
                ["namespaced"] = true,
                ["group"] = "autoscaling",
                ["version"] = "v1",
                ["kind"] = "Scale",
                ["verbs"] = new JsonArray("get", "patch", "update"),
            }))]),
        });
    }
}
