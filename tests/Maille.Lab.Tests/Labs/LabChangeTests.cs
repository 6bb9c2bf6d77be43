using System.Net;
using System.Text.Json.Nodes;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Lab.Labs;
using Maille.Lab.Probing;
using Maille.TestKit;

namespace Maille.Lab.Tests.Labs;

// Privileged: a running lab changed with `maille apply`, `label` and `delete`, and through its API.
// Two pods web-1 (node-1) and web-2 (node-2) behind Service web, and a client on node-1.
public sealed class LabChangeTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly string Base = Fixtures.WebPair + """
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: client}
        spec: {nodeName: node-1, containers: [{name: c}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
        """;

    // Sorts before every other pod: a fresh plan would hand it the first address and renumber the rest.
    private const string Added = """
        apiVersion: v1
        kind: Pod
        metadata: {name: aaa, labels: {app: web}}
        spec: {nodeName: node-1, containers: [{name: c, ports: [{containerPort: 8080}]}]}
        """;

    [SkippableFact]
    public void Apply_label_and_delete_change_the_live_network_and_existing_pods_keep_their_addresses()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Base, output);
        var before = PodIPs(lab);

        var apply = lab.Run("apply", "-f", lab.File("added.yaml", Added));
        Assert.True(apply.ExitCode == 0, apply.Stderr);
        Assert.Equal("pod/aaa created", apply.Stdout.Trim());
        var after = PodIPs(lab);
        Assert.All(before, pod => Assert.Equal(pod.Value, after[pod.Key]));
        var added = IPAddress.Parse(after["aaa"]);
        Assert.Equal("default/aaa", PodHttp.Get(lab.Name, "default/client", added, 8080, "/hostname"));
        Assert.Contains("aaa", EndpointNames(lab));

        var refused = lab.Run("label", "pod", "aaa", "app=other");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("'app' already has a value (web), and --overwrite is false", refused.Stderr, StringComparison.Ordinal);
        var label = lab.Run("label", "pod", "aaa", "app=other", "--overwrite");
        Assert.True(label.ExitCode == 0, label.Stderr);
        Assert.Equal("pod/aaa labeled", label.Stdout.Trim());
        Assert.DoesNotContain("aaa", EndpointNames(lab));
        Assert.Contains("app=other", lab.Run("get", "pods", "aaa", "-o", "json").Stdout.Replace("\"app\": \"other\"", "app=other", StringComparison.Ordinal), StringComparison.Ordinal);

        var namespaceName = LabNames.Pod(lab.Name, "default/aaa");
        var delete = lab.Run("delete", "pod", "aaa");
        Assert.True(delete.ExitCode == 0, delete.Stderr);
        Assert.Equal("pod \"aaa\" deleted", delete.Stdout.Trim());
        Assert.False(NetworkNamespace.Exists(namespaceName));
        using (var client = NetworkNamespace.Open(LabNames.Pod(lab.Name, "default/client")))
        {
            Assert.ThrowsAny<Exception>(() => LabHttp.Get(client, added, 8080, "/hostname", TimeSpan.FromMilliseconds(500)));
        }

        var missing = lab.Run("delete", "pod", "aaa");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("Error from server (NotFound): pods \"aaa\" not found", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, PodIPs(lab));
    }

    [SkippableFact]
    public void A_change_that_does_not_plan_is_refused_whole_and_a_restarted_daemon_keeps_every_address()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Base, output, "--flush-denied-connections");
        Assert.Equal(0, lab.Run("apply", "-f", lab.File("added.yaml", Added)).ExitCode);
        var before = PodIPs(lab);

        // A good pod and a Service asking for web's ClusterIP: the daemon refuses both.
        var clusterIP = (string)JsonNode.Parse(lab.Run("get", "svc", "web", "-o", "json").Stdout)!["spec"]!["clusterIP"]!;
        var bad = lab.File("bad.yaml", Added.Replace("name: aaa", "name: bbb", StringComparison.Ordinal) + $$"""

            ---
            apiVersion: v1
            kind: Service
            metadata: {name: copy}
            spec: {clusterIP: {{clusterIP}}, ports: [{port: 80}]}
            """);
        var refused = lab.Run("apply", "-f", bad);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"provided IP is already allocated (to Service default/web)", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", refused.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("bbb", PodIPs(lab).Keys);

        DaemonRestart.KillAndUpAgain(lab, output);
        var state = new LabState(lab.Name);

        Assert.Equal(before, PodIPs(lab));
        Assert.Equal("default/aaa", PodHttp.Get(lab.Name, "default/client", IPAddress.Parse(before["aaa"]), 8080, "/hostname"));
        Assert.True(state.ReadStatus()!.FlushDeniedConnections, "the restarted daemon forgot --flush-denied-connections");
    }

    [SkippableFact]
    public async Task The_api_serves_discovery_and_takes_kubernetes_writes()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Base, output);
        using var api = new Maille.Lab.Api.LabApiClient(new LabState(lab.Name).ApiSocket);

        var (_, versions) = await api.SendAsync(HttpMethod.Get, "/api", null);
        Assert.Equal("v1", (string)versions!["versions"]![0]!);
        var (_, groups) = await api.SendAsync(HttpMethod.Get, "/apis", null);
        Assert.Contains(groups!["groups"]!.AsArray(), g => (string)g!["name"]! == "networking.k8s.io");
        var (_, core) = await api.SendAsync(HttpMethod.Get, "/api/v1", null);
        Assert.Contains(core!["resources"]!.AsArray(), r => (string)r!["name"]! == "pods" && (bool)r["namespaced"]! && r["verbs"]!.AsArray().Any(v => (string)v! == "patch"));

        var (patched, _) = await api.SendAsync(HttpMethod.Patch, "/api/v1/namespaces/default/pods/web-2", """{"metadata":{"labels":{"app":null,"tier":"gone"}}}""", "application/merge-patch+json");
        Assert.Equal(200, patched);
        var (_, slices) = await api.SendAsync(HttpMethod.Get, "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices", null);
        var names = slices!["items"]!.AsArray().SelectMany(s => s!["endpoints"]!.AsArray()).Select(e => (string)e!["targetRef"]!["name"]!).ToList();
        Assert.Equal(["web-1"], names);

        var (created, _) = await api.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/pods", Added.Replace("aaa", "posted", StringComparison.Ordinal));
        Assert.Equal(201, created);
        var (again, conflict) = await api.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/pods", Added.Replace("aaa", "posted", StringComparison.Ordinal));
        Assert.Equal(409, again);
        Assert.Equal("AlreadyExists", (string)conflict!["reason"]!);
        var (deleted, _) = await api.SendAsync(HttpMethod.Delete, "/api/v1/namespaces/default/pods/posted", null);
        Assert.Equal(200, deleted);
        var (gone, _) = await api.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/posted", null);
        Assert.Equal(404, gone);
        var (replaced, missing) = await api.SendAsync(HttpMethod.Put, "/api/v1/namespaces/default/pods/posted", Added.Replace("aaa", "posted", StringComparison.Ordinal));
        Assert.Equal(404, replaced);   // a replace does not create
        Assert.Equal("NotFound", (string)missing!["reason"]!);
        Assert.Equal(404, (await api.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/posted", null)).Status);
    }

    [SkippableFact]
    public async Task A_Service_created_and_deleted_through_the_api_is_served_then_gone_without_planning_the_lab()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Base, output);
        using var api = new Maille.Lab.Api.LabApiClient(new LabState(lab.Name).ApiSocket);

        var (created, answer) = await api.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/services", """
            apiVersion: v1
            kind: Service
            metadata: {name: extra}
            spec: {selector: {app: web}, ports: [{port: 81, targetPort: 8080}]}
            """);
        Assert.Equal(201, created);
        var (_, service) = await api.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/services/extra", null);
        var clusterIP = IPAddress.Parse((string)service!["spec"]!["clusterIP"]!);
        Assert.Equal(clusterIP.ToString(), (string?)answer!["spec"]!["clusterIP"]);   // the create answers the object as served
        Assert.Contains(PodHttp.Get(lab.Name, "default/client", clusterIP, 81, "/hostname"), new[] { "default/web-1", "default/web-2" });
        Assert.Equal(2, EndpointNames(lab).Count(n => n == "web-1"));   // in web's slices and in extra's

        var (deleted, _) = await api.SendAsync(HttpMethod.Delete, "/api/v1/namespaces/default/services/extra", null);
        Assert.Equal(200, deleted);
        var (gone, _) = await api.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/services/extra", null);
        Assert.Equal(404, gone);

        // Both changes took the incremental path, as the daemon's log says.
        var log = File.ReadAllText(new LabState(lab.Name).LogFile);
        Assert.Contains("service/extra created (updated without planning", log, StringComparison.Ordinal);
        Assert.Contains("service \"extra\" deleted (updated without planning", log, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_merge_patch_of_a_pods_labels_alone_relabels_it_without_planning_the_lab()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Base, output);
        using var api = new Maille.Lab.Api.LabApiClient(new LabState(lab.Name).ApiSocket);

        // What `kubectl label` and a client's merge patch send: the labels, nothing else.
        var (patched, answer) = await api.SendAsync(HttpMethod.Patch, "/api/v1/namespaces/default/pods/web-2", """{"metadata": {"labels": {"app": "other"}}}""", "application/merge-patch+json");

        Assert.Equal(200, patched);
        Assert.Equal("other", (string?)answer!["metadata"]!["labels"]!["app"]);
        Assert.DoesNotContain("web-2", EndpointNames(lab));
        var clusterIP = IPAddress.Parse((string)lab.Get("service", "web")["spec"]!["clusterIP"]!);
        Assert.Equal("default/web-1", PodHttp.Get(lab.Name, "default/client", clusterIP, 80, "/hostname"));
        var log = File.ReadAllText(new LabState(lab.Name).LogFile);
        Assert.Contains("pod/web-2 labeled (updated without planning", log, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> PodIPs(LiveLab lab) =>
        lab.Get("pods")["items"]!.AsArray()
            .ToDictionary(p => (string)p!["metadata"]!["name"]!, p => (string)p!["status"]!["podIP"]!);

    private static List<string> EndpointNames(LiveLab lab) =>
        [.. lab.Get("endpointslices")["items"]!.AsArray()
            .SelectMany(s => s!["endpoints"]?.AsArray() ?? [])
            .Select(e => (string)e!["targetRef"]!["name"]!)];
}
