using System.Text.Json.Nodes;
using Maille.Lab.Api;
using Maille.Lab.Labs;
using Maille.TestKit;

namespace Maille.Lab.Tests.Api;

// Privileged: server-side apply and managed fields through a live lab's API (its Unix socket), with the two web pods
// of the web-pair fixture behind Services the tests apply.
public sealed class LabServerSideApplyTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Path = "/api/v1/namespaces/default/services/extra";
    private const string ApplyType = "application/apply-patch+yaml";

    private static string Extra(string labels, string ports = "[{name: http, port: 80, targetPort: 8080}]") => $$"""
        apiVersion: v1
        kind: Service
        metadata: {name: extra, labels: {{labels}}}
        spec: {selector: {app: web}, ports: {{ports}}}
        """;

    private static JsonArray Managed(JsonNode? served) => served?["metadata"]?["managedFields"] as JsonArray ?? [];

    private static JsonObject? EntryOf(JsonNode? served, string manager) =>
        Managed(served).OfType<JsonObject>().SingleOrDefault(e => (string?)e["manager"] == manager);

    [SkippableFact]
    public async Task Apply_creates_merges_owns_conflicts_until_forced_drops_what_it_stops_applying_and_survives_a_restart()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Fixtures.WebPair, output);
        var state = new LabState(lab.Name);
        using var api = new LabApiClient(state.ApiSocket);

        var (noManager, refusal) = await api.SendAsync(HttpMethod.Patch, Path, Extra("{tier: back}"), ApplyType);
        var (created, applied) = await api.SendAsync(HttpMethod.Patch, Path + "?fieldManager=alice", Extra("{tier: back, team: a}"), ApplyType);
        var (again, reapplied) = await api.SendAsync(HttpMethod.Patch, Path + "?fieldManager=alice", Extra("{tier: back, team: a}"), ApplyType);
        var (merged, _) = await api.SendAsync(HttpMethod.Patch, Path + "?fieldManager=bob", """{"metadata":{"labels":{"tier":"front","owner":"bob"}}}""", "application/merge-patch+json");
        var (conflict, conflicts) = await api.SendAsync(HttpMethod.Patch, Path + "?fieldManager=alice", Extra("{tier: back, team: a}"), ApplyType);
        var (forced, taken) = await api.SendAsync(HttpMethod.Patch, Path + "?fieldManager=alice&force=true", Extra("{tier: back}"), ApplyType);
        var (dry, wouldBe) = await api.SendAsync(HttpMethod.Patch, "/api/v1/namespaces/default/services/dry?fieldManager=alice&dryRun=All", Extra("{a: b}").Replace("name: extra", "name: dry", StringComparison.Ordinal), ApplyType);
        var (_, notKept) = await api.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/services/dry", null);

        Assert.Equal(422, noManager);
        Assert.Equal("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch", (string?)refusal!["message"]);
        Assert.Equal(201, created);
        var entry = EntryOf(applied, "alice")!;
        Assert.Equal(("Apply", "v1", "FieldsV1"), ((string?)entry["operation"], (string?)entry["apiVersion"], (string?)entry["fieldsType"]));
        Assert.Equal("""{"f:metadata":{"f:labels":{"f:team":{},"f:tier":{}}},"f:spec":{"f:ports":{"k:{\"port\":80}":{".":{},"f:name":{},"f:port":{},"f:targetPort":{}}},"f:selector":{}}}""",
            entry["fieldsV1"]!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Assert.Equal(200, again);
        Assert.Equal((string?)applied!["metadata"]!["resourceVersion"], (string?)reapplied!["metadata"]!["resourceVersion"]);
        Assert.Equal((string?)entry["time"], (string?)EntryOf(reapplied, "alice")!["time"]);
        Assert.Equal(200, merged);
        Assert.Equal(409, conflict);
        Assert.Equal("Conflict", (string?)conflicts!["reason"]);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"bob\" using v1: .metadata.labels.tier", (string?)conflicts["message"]);
        var cause = conflicts["details"]!["causes"]![0]!;
        Assert.Equal(("FieldManagerConflict", "conflict with \"bob\" using v1", ".metadata.labels.tier"), ((string?)cause["reason"], (string?)cause["message"], (string?)cause["field"]));
        Assert.Equal(200, forced);
        var labels = taken!["metadata"]!["labels"]!.AsObject();
        Assert.Equal("back", (string?)labels["tier"]);
        Assert.Equal("bob", (string?)labels["owner"]);
        Assert.False(labels.ContainsKey("team"), "team was dropped from alice's configuration and nobody else owned it");
        Assert.Equal("""{"f:metadata":{"f:labels":{"f:owner":{}}}}""", EntryOf(taken, "bob")!["fieldsV1"]!.ToJsonString());
        Assert.Equal(201, dry);
        Assert.Equal("alice", (string?)EntryOf(wouldBe, "alice")?["manager"]);
        Assert.Equal("NotFound", (string?)notKept!["reason"]);

        Labs.DaemonRestart.KillAndUpAgain(lab, output);
        using var restarted = new LabApiClient(state.ApiSocket);
        var (_, afterRestart) = await restarted.SendAsync(HttpMethod.Get, Path, null);

        Assert.Equal(Managed(taken).ToJsonString(), Managed(afterRestart).ToJsonString());
        Assert.DoesNotContain("managedFields", File.ReadAllText(state.ManifestsFile), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Updates_are_owned_by_their_field_manager_or_the_programs_name_and_scale_by_its_subresource()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Fixtures.WebPair + """
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api}
            spec:
              replicas: 1
              selector: {matchLabels: {app: api}}
              template:
                metadata: {labels: {app: api}}
                spec: {containers: [{name: c, ports: [{containerPort: 8080}]}]}
            """, output);
        using var api = new LabApiClient(new LabState(lab.Name).ApiSocket);

        var (posted, created) = await api.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/services?fieldManager=maker", Extra("{tier: back}"));
        var (scaled, _) = await api.SendAsync(HttpMethod.Patch, "/apis/apps/v1/namespaces/default/deployments/api/scale?fieldManager=scaler", """{"spec":{"replicas":2}}""", "application/merge-patch+json");
        var (conflict, conflicts) = await api.SendAsync(HttpMethod.Patch, "/apis/apps/v1/namespaces/default/deployments/api?fieldManager=ci", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api}
            spec: {replicas: 3}
            """, ApplyType);
        var (forbidden, _) = await api.SendAsync(HttpMethod.Patch, Path + "?force=true", """{"metadata":{"labels":{"a":"b"}}}""", "application/merge-patch+json");

        Assert.Equal(201, posted);
        var entry = EntryOf(created, "maker")!;
        Assert.Equal("Update", (string?)entry["operation"]);
        Assert.Contains("\"f:tier\"", entry["fieldsV1"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(200, scaled);
        Assert.Equal(409, conflict);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"scaler\" with subresource \"scale\" using apps/v1: .spec.replicas", (string?)conflicts!["message"]);
        Assert.Equal(422, forbidden);
    }
}
