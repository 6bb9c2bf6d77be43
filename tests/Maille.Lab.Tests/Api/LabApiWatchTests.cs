using System.Net.Sockets;
using System.Text.Json.Nodes;
using Maille.Engine;
using Maille.Engine.Allocation;
using Maille.Lab.Api;
using Maille.Model;

namespace Maille.Lab.Tests.Api;

/// <summary>
/// What informers (client-go, KubernetesClient) rely on, on the lab's API over its Unix socket (no root needed): each
/// object's own resourceVersion, a watch that resumes from a resource version with only the later changes, 410 Expired
/// when those are no longer kept, bookmarks while quiet, and timeoutSeconds.
/// </summary>
public sealed class LabApiWatchTests
{
    private const string Pods = """
        apiVersion: v1
        kind: Pod
        metadata: {name: a, namespace: x, labels: {pod: a}}
        spec: {containers: [{name: c}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: b, namespace: x, labels: {pod: b}}
        spec: {containers: [{name: c}]}
        """;

    private const string PodC = "\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: c, namespace: x}\nspec: {containers: [{name: c}]}\n";

    [Fact]
    public async Task Each_object_has_the_version_of_its_last_change_and_a_watch_resumes_after_a_version()
    {
        var first = Plan(Pods);
        var store = new LabStore(first);
        await using var api = await Serve(store);

        var (_, listed) = await api.Client.SendAsync(HttpMethod.Get, "/api/v1/namespaces/x/pods", null);
        Assert.Equal("1", (string?)listed!["metadata"]!["resourceVersion"]);
        Assert.All(listed["items"]!.AsArray(), pod => Assert.Equal("1", (string?)pod!["metadata"]!["resourceVersion"]));

        store.Update(Plan(Pods.Replace("{pod: b}", "{pod: b, tier: web}", StringComparison.Ordinal) + PodC, first));
        var (_, after) = await api.Client.SendAsync(HttpMethod.Get, "/api/v1/namespaces/x/pods", null);
        Assert.Equal("2", (string?)after!["metadata"]!["resourceVersion"]);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2", ["c"] = "2" }, Versions(after));

        using var watch = await api.WatchAsync("/api/v1/namespaces/x/pods?watch=true&resourceVersion=1&allowWatchBookmarks=true");
        Assert.Equal(("MODIFIED", "b", "2"), Describe(await watch.NextAsync()));
        Assert.Equal(("ADDED", "c", "2"), Describe(await watch.NextAsync()));
        var bookmark = await watch.NextAsync();
        Assert.Equal("BOOKMARK", (string?)bookmark["type"]);
        Assert.Equal("2", (string?)bookmark["object"]!["metadata"]!["resourceVersion"]);

        store.Update(Plan(Pods.Replace("{pod: b}", "{pod: b, tier: web}", StringComparison.Ordinal)[(Pods.IndexOf("---", StringComparison.Ordinal) + 4)..] + PodC, store.Current.Cluster));
        Assert.Equal(("DELETED", "a", "3"), Describe(await watch.NextAsync())); // as the API server: the version of the deletion
    }

    [Fact]
    public async Task A_bookmark_watch_hears_at_once_of_a_publication_without_a_change_for_it_and_nothing_of_lease_renewals()
    {
        // A node agent reports how far it has read after each publication; a lease renewal every 10 s must not wake it.
        var store = new LabStore(Plan(Pods));
        await using var api = await Serve(store, bookmarkInterval: TimeSpan.FromMinutes(5));
        using var watch = await api.WatchAsync("/api/v1/namespaces/y/pods?watch=true&resourceVersion=1&allowWatchBookmarks=true");

        store.RenewLeases(["node-1"]);
        store.Update(Plan(Pods + PodC, store.Current.Cluster));
        var bookmark = await watch.NextAsync();

        Assert.Equal(("BOOKMARK", "3"), ((string?)bookmark["type"], (string?)bookmark["object"]!["metadata"]!["resourceVersion"]));
        store.RenewLeases(["node-2"]);
        var nothing = watch.NextAsync();
        Assert.NotSame(nothing, await Task.WhenAny(nothing, Task.Delay(TimeSpan.FromSeconds(1))));
    }

    [Fact]
    public async Task A_watch_from_the_current_version_answers_its_headers_before_any_change()
    {
        // client-go and kubectl -w wait for the headers before they read events; they once came with the first event.
        var store = new LabStore(Plan(Pods));
        await using var api = await Serve(store);

        using var watch = await api.WatchAsync("/api/v1/namespaces/x/pods?watch=true&resourceVersion=1").WaitAsync(TimeSpan.FromSeconds(5));
        store.Update(Plan(Pods + PodC, store.Current.Cluster));

        Assert.Equal(("ADDED", "c", "2"), Describe(await watch.NextAsync()));
    }

    [Fact]
    public async Task A_watch_from_a_version_whose_changes_are_no_longer_kept_gets_410_Expired()
    {
        var store = new LabStore(Plan(Pods), retainedChanges: 1);
        await using var api = await Serve(store);
        store.Update(Plan(Pods + PodC));
        store.Update(Plan(Pods.Replace("{pod: a}", "{pod: a, tier: web}", StringComparison.Ordinal) + PodC.Replace("name: c}", "name: c, labels: {tier: web}}", StringComparison.Ordinal)));

        using var watch = await api.WatchAsync("/api/v1/namespaces/x/pods?watch=true&resourceVersion=1");
        var expired = await watch.NextAsync();

        Assert.Equal("ERROR", (string?)expired["type"]);
        Assert.Equal(410, (int?)expired["object"]!["code"]);
        Assert.Equal("Expired", (string?)expired["object"]!["reason"]);
        Assert.Null(await watch.NextOrEndAsync());
    }

    [Fact]
    public async Task A_watch_carried_over_from_a_previous_daemon_gets_410_Expired_and_a_list_gets_versions_after_the_old_ones()
    {
        // The previous daemon's API reached version 7; this one starts after what that one reserved (LabState.ReserveVersions).
        var store = new LabStore(Plan(Pods), versionsAfter: 1_000);
        await using var api = await Serve(store);

        var (_, listed) = await api.Client.SendAsync(HttpMethod.Get, "/api/v1/namespaces/x/pods", null);
        Assert.Equal("1001", (string?)listed!["metadata"]!["resourceVersion"]);
        using var watch = await api.WatchAsync("/api/v1/namespaces/x/pods?watch=true&resourceVersion=7");
        var expired = await watch.NextAsync();

        Assert.Equal("ERROR", (string?)expired["type"]);
        Assert.Equal(410, (int?)expired["object"]!["code"]);
    }

    [Fact]
    public async Task A_watch_without_a_version_starts_with_every_object_and_ends_after_its_timeout()
    {
        var store = new LabStore(Plan(Pods));
        await using var api = await Serve(store);

        using var watch = await api.WatchAsync("/api/v1/namespaces/x/pods?watch=true&timeoutSeconds=1");
        Assert.Equal(("ADDED", "a", "1"), Describe(await watch.NextAsync()));
        Assert.Equal(("ADDED", "b", "1"), Describe(await watch.NextAsync()));
        Assert.Null(await watch.NextOrEndAsync());
    }

    [Fact]
    public async Task A_selective_watch_sees_an_object_that_enters_its_selection_as_added_and_one_that_leaves_it_as_deleted()
    {
        var store = new LabStore(Plan(Pods));
        await using var api = await Serve(store);

        using var watch = await api.WatchAsync("/api/v1/namespaces/x/pods?watch=true&labelSelector=tier%3Dweb&timeoutSeconds=60");
        var tiered = Pods.Replace("{pod: b}", "{pod: b, tier: web}", StringComparison.Ordinal);
        store.Update(Plan(tiered, store.Current.Cluster));
        Assert.Equal(("ADDED", "b", "2"), Describe(await watch.NextAsync()));
        store.Update(Plan(tiered.Replace("{pod: b, tier: web}", "{pod: b2, tier: web}", StringComparison.Ordinal), store.Current.Cluster));
        Assert.Equal(("MODIFIED", "b", "3"), Describe(await watch.NextAsync()));
        store.Update(Plan(Pods + PodC, store.Current.Cluster));  // b leaves the selection; c never was in it

        var left = await watch.NextAsync();
        Assert.Equal(("DELETED", "b", "4"), Describe(left));
        Assert.Null(left["object"]!["metadata"]!["labels"]!["tier"]);  // the object as it is now, as the API server sends it

        // c changes outside the selection (no event), then a enters it: the next event is a's.
        store.Update(Plan(Pods + PodC.Replace("namespace: x}", "namespace: x, labels: {tier: db}}", StringComparison.Ordinal), store.Current.Cluster));
        store.Update(Plan(Pods.Replace("{pod: a}", "{pod: a, tier: web}", StringComparison.Ordinal) + PodC.Replace("namespace: x}", "namespace: x, labels: {tier: db}}", StringComparison.Ordinal), store.Current.Cluster));
        Assert.Equal(("ADDED", "a", "6"), Describe(await watch.NextAsync()));
    }

    [Fact]
    public async Task A_streaming_list_sends_every_object_then_a_bookmark_marking_the_end_of_the_initial_events()
    {
        var store = new LabStore(Plan(Pods));
        await using var api = await Serve(store);

        using var watch = await api.WatchAsync("/api/v1/namespaces/x/pods?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true");
        Assert.Equal(("ADDED", "a", "1"), Describe(await watch.NextAsync()));
        Assert.Equal(("ADDED", "b", "1"), Describe(await watch.NextAsync()));
        var end = await watch.NextAsync();
        Assert.Equal("BOOKMARK", (string?)end["type"]);
        Assert.Equal("1", (string?)end["object"]!["metadata"]!["resourceVersion"]);
        Assert.Equal("true", (string?)end["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]);
        store.Update(Plan(Pods + PodC, store.Current.Cluster));
        var next = await watch.NextAsync();
        while ((string?)next["type"] == "BOOKMARK" && (string?)next["object"]!["metadata"]!["resourceVersion"] == "1")
        {
            // The quiet watch's own bookmark (every 300 ms here) may come first on a busy machine.
            next = await watch.NextAsync();
        }

        Assert.Equal(("ADDED", "c", "2"), Describe(next));

        var (refused, status) = await api.Client.SendAsync(HttpMethod.Get, "/api/v1/namespaces/x/pods?watch=true&sendInitialEvents=true", null);
        Assert.Equal(422, refused);
        Assert.Equal("Invalid", (string?)status!["reason"]);
    }

    /// <summary>Planned as the lab plans a change: every object keeps what <paramref name="previous"/> allocated it.</summary>
    private static ClusterState Plan(string yaml, ClusterState? previous = null)
    {
        var manifests = Maille.Kube.ManifestLoader.Load([new Maille.Kube.ManifestSource("lab.yaml", yaml)]).Manifests;
        var plan = ClusterPlanner.Plan(manifests, ClusterConfig.Default, prior: previous is null ? PriorAllocations.None : PriorAllocations.From(previous));
        Assert.True(plan.Succeeded, string.Join("\n", plan.Errors));
        return plan.Cluster!;
    }

    private static Dictionary<string, string> Versions(JsonNode list) =>
        list["items"]!.AsArray().ToDictionary(p => (string)p!["metadata"]!["name"]!, p => (string)p!["metadata"]!["resourceVersion"]!);

    private static (string?, string?, string?) Describe(JsonNode watchEvent) =>
        ((string?)watchEvent["type"], (string?)watchEvent["object"]!["metadata"]!["name"], (string?)watchEvent["object"]!["metadata"]!["resourceVersion"]);

    private static async Task<ServedStore> Serve(LabStore store, TimeSpan? bookmarkInterval = null)
    {
        var folder = Directory.CreateTempSubdirectory("maille-watch-");
        var socket = Path.Combine(folder.FullName, "api.sock");
        var server = new LabApiServer(store, socket) { BookmarkInterval = bookmarkInterval ?? TimeSpan.FromMilliseconds(300) };
        await server.StartAsync(CancellationToken.None);
        return new ServedStore(server, new LabApiClient(socket), socket, folder);
    }

    private sealed record ServedStore(LabApiServer Server, LabApiClient Client, string Socket, DirectoryInfo Folder) : IAsyncDisposable
    {
        public async Task<WatchStream> WatchAsync(string path)
        {
            var http = new HttpClient(new SocketsHttpHandler
            {
                ConnectCallback = async (_, cancel) =>
                {
                    var socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(Socket), cancel);
                    return new NetworkStream(socket, ownsSocket: true);
                },
            });
            var response = await http.GetAsync(new Uri("http://lab" + path), HttpCompletionOption.ResponseHeadersRead);
            return new WatchStream(http, new StreamReader(await response.Content.ReadAsStreamAsync()));
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Server.DisposeAsync();
            Folder.Delete(recursive: true);
        }
    }

    private sealed class WatchStream(HttpClient http, StreamReader reader) : IDisposable
    {
        /// <summary>The next event; fails the test when none comes within 5 s.</summary>
        public async Task<JsonNode> NextAsync() => await NextOrEndAsync() ?? throw new Xunit.Sdk.XunitException("the watch ended");

        /// <summary>The next event, or null when the server ended the stream (within 5 s).</summary>
        public async Task<JsonNode?> NextOrEndAsync()
        {
            var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5));
            return line is null ? null : JsonNode.Parse(line);
        }

        public void Dispose()
        {
            reader.Dispose();
            http.Dispose();
        }
    }
}
