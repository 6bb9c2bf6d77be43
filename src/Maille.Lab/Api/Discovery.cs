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

    /// <summary><c>GET /api</c>: the aggregated discovery of the core group when the client asks for it, else the versions.</summary>
    public static IResult Versions(HttpContext http) => AggregatedDiscovery.Negotiate(http.Request) is { } aggregated
        ? Aggregated(aggregated, core: true)
        : Results.Json(new JsonObject
        {
            ["kind"] = "APIVersions",
            ["versions"] = new JsonArray("v1"),
            ["serverAddressByClientCIDRs"] = new JsonArray(),
        });

    /// <summary><c>GET /apis</c>: the aggregated discovery of every group but the core when the client asks for it, else the groups.</summary>
    public static IResult Groups(HttpContext http) => AggregatedDiscovery.Negotiate(http.Request) is { } aggregated
        ? Aggregated(aggregated, core: false)
        : Results.Json(new JsonObject
        {
            ["kind"] = "APIGroupList",
            ["apiVersion"] = "v1",
            ["groups"] = new JsonArray([.. GroupVersions().Where(g => g.Group.Length > 0).GroupBy(g => g.Group).Select(g => (JsonNode)Group(g.Key, [.. g.Select(v => v.Version)]))]),
        });

    private static IResult Aggregated(string version, bool core) =>
        Results.Text(AggregatedDiscovery.List(core, version).ToJsonString(), AggregatedDiscovery.ContentType(version));

    /// <summary>One group with its versions, the first preferred (the Gateway API's group serves v1 and ReferenceGrant's v1beta1).</summary>
    private static JsonObject Group(string name, IReadOnlyList<string> versions) => new()
    {
        ["name"] = name,
        ["versions"] = new JsonArray([.. versions.Select(v => (JsonNode)new JsonObject { ["groupVersion"] = $"{name}/{v}", ["version"] = v })]),
        ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{name}/{versions[0]}", ["version"] = versions[0] },
    };

    /// <summary>
    /// The group versions served, core first: each group's one version, events.k8s.io/v1, and authorization.k8s.io/v1
    /// for the reviews kubectl auth can-i creates.
    /// </summary>
    public static IEnumerable<(string Group, string Version)> GroupVersions() =>
        KindNames.All.Select(k => (k.Group, k.Version)).Concat(ServedOnly.Select(r => (r.Group, r.Version))).Append((ApiResources.EventsV1.Group, ApiResources.EventsV1.Version)).Distinct().OrderBy(g => g.Group.Length > 0)
            .Append((LabApiServer.AuthorizationGroup, "v1")).Append((MailleGroup, MailleVersion));

    private const string MailleGroup = "maille.dev";

    private const string MailleVersion = "v1alpha1";

    /// <summary>The kinds the lab serves (read-only) that no manifest may hold: the nodes' leases.</summary>
    private static IEnumerable<ApiResource> ServedOnly => ApiResources.All.Where(r => KindNames.ByPlural(r.Group, r.Plural) is null);

    /// <summary>Every resource and subresource of one group version, in the order they are listed; empty when not served.</summary>
    public static IReadOnlyList<DiscoveredResource> Catalog(string group, string version)
    {
        if (group == LabApiServer.AuthorizationGroup && version == "v1")
        {
            // Only the review kubectl auth can-i creates; the lab keeps no other authorization objects.
            return [new DiscoveredResource("selfsubjectaccessreviews", null, "selfsubjectaccessreview", false, "SelfSubjectAccessReview", ["create"], [])];
        }

        if (group == MailleGroup && version == MailleVersion)
        {
            // Maille's own kinds kubectl may read: each node agent's state (its process writes the status).
            return
            [
                new DiscoveredResource("nodeagents", null, "nodeagent", false, "NodeAgent", ["get", "list"], []),
                new DiscoveredResource("nodeagents", "status", "", false, "NodeAgent", ["get", "update"], []),
            ];
        }

        // Events are served (read-only) but are no kind a manifest may hold.
        var events = new[] { ApiResources.Events, ApiResources.EventsV1 }.Where(r => r.Group == group && r.Version == version)
            .Select(r => new DiscoveredResource(r.Plural, null, "event", true, r.Kind, ReadVerbs, ["ev"]));
        var leases = ServedOnly.Where(r => r.Group == group && r.Version == version)
            .Select(r => new DiscoveredResource(r.Plural, null, r.Kind.ToLowerInvariant(), r.Namespaced, r.Kind, ReadVerbs, []));
        var kinds = KindNames.All.Where(k => k.Group == group && k.Version == version).ToList();
        var resources = kinds.Select(k => new DiscoveredResource(
            k.Plural, null, k.Singular, k.Namespaced, k.Kind,
            [.. ApiResources.Find(k.Group, k.Version, k.Plural) is null ? WriteVerbs.Except(ReadVerbs) : WriteVerbs],
            k.ShortNames));

        // The subresources served: kubectl scale finds the Scale kind of a workload here; exec, logs and port-forward are pods'.
        var subresources = kinds.SelectMany(k => k.Plural switch
        {
            "deployments" or "replicasets" or "statefulsets" => [new DiscoveredResource(k.Plural, "scale", "", true, "Scale", ["get", "patch", "update"], [], "autoscaling", "v1")],
            "pods" =>
            [
                new DiscoveredResource(k.Plural, "exec", "", true, "PodExecOptions", ["create", "get"], []),
                new DiscoveredResource(k.Plural, "log", "", true, "Pod", ["get"], []),
                new DiscoveredResource(k.Plural, "portforward", "", true, "PodPortForwardOptions", ["create", "get"], []),
            ],
            _ => Array.Empty<DiscoveredResource>(),
        }).Concat(kinds.Where(k => LabApiServer.HasStatus(k.Plural)).Select(k => new DiscoveredResource(k.Plural, "status", "", k.Namespaced, k.Kind, ["get"], [])));
        return [.. resources, .. events, .. leases, .. subresources];
    }

    public static async Task Resources(HttpContext http, string group, string version)
    {
        var catalog = Catalog(group, version);
        if (catalog.Count == 0)
        {
            http.Response.StatusCode = 404;
            await http.Response.WriteAsJsonAsync(new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["reason"] = "NotFound", ["code"] = 404 });
            return;
        }

        await http.Response.WriteAsJsonAsync(ResourceList(group, version, catalog));
    }

    /// <summary>The legacy <c>APIResourceList</c> of one group version.</summary>
    public static JsonObject ResourceList(string group, string version, IEnumerable<DiscoveredResource> catalog) => new()
    {
        ["kind"] = "APIResourceList",
        ["apiVersion"] = "v1",
        ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
        ["resources"] = new JsonArray([.. catalog.Select(r =>
        {
            var entry = new JsonObject
            {
                ["name"] = r.LegacyName,
                ["singularName"] = r.Singular,
                ["namespaced"] = r.Namespaced,
            };
            if (r.ResponseGroup is not null)
            {
                entry["group"] = r.ResponseGroup;
                entry["version"] = r.ResponseVersion;
            }

            entry["kind"] = r.Kind;
            entry["verbs"] = new JsonArray([.. r.Verbs.Select(v => (JsonNode)JsonValue.Create(v))]);
            if (r.Subresource is null)
            {
                entry["shortNames"] = new JsonArray([.. r.ShortNames.Select(n => (JsonNode)JsonValue.Create(n))]);
            }

            return (JsonNode)entry;
        })]),
    };
}
