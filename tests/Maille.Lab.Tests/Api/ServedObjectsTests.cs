using System.Text.Json.Nodes;
using Maille.Lab.Api;
using Maille.Lab.Labs;
using Maille.TestKit;

namespace Maille.Lab.Tests.Api;

/// <summary>
/// The store's view of a lab as the API server shows it: a user's object as written with the server's fields over it,
/// versions that move when an unmodelled field changes, the status of pods, nodes and namespaces, and the events that
/// published changes mean.
/// </summary>
public sealed class ServedObjectsTests
{
    private const string Written = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: x}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: a, namespace: x}
        spec:
          nodeName: node-2
          volumes: [{name: scratch, emptyDir: {}}]
          containers:
          - name: c
            image: agnhost
            env: [{name: GREETING, value: hello}]
        """;

    private static readonly ApiResource Pods = ApiResources.Find("", "v1", "pods")!;
    private static readonly ApiResource Nodes = ApiResources.Find("", "v1", "nodes")!;
    private static readonly ApiResource Namespaces = ApiResources.Find("", "v1", "namespaces")!;

    // A quarter of a second past: the API's timestamps are whole seconds.
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMilliseconds(250));

    private static ServedFacts Facts(string yaml) => new() { Written = LabManifests.Parse("lab.yaml", yaml, DateTimeOffset.UnixEpoch).ByKey };

    private static JsonObject Served(ApiView view, ApiResource resource, string name) =>
        view.Write(resource, view.Objects(resource).Single(o => o.Meta.Name == name));

    [Fact]
    public void A_users_pod_is_served_as_written_with_the_servers_fields_and_status_over_it()
    {
        var store = new LabStore(null, clock: _clock);
        store.Update(Cluster.Valid(Written), Facts(Written));

        var pod = Served(store.Snapshot, Pods, "a");

        Assert.Equal("hello", (string?)pod["spec"]!["containers"]![0]!["env"]![0]!["value"]);
        Assert.Equal("scratch", (string?)pod["spec"]!["volumes"]![0]!["name"]);
        Assert.Equal("node-2", (string?)pod["spec"]!["nodeName"]);
        Assert.Matches("^[0-9a-f-]{36}$", (string?)pod["metadata"]!["uid"]);
        Assert.Equal("2", (string?)pod["metadata"]!["resourceVersion"]);
        Assert.Equal(["PodScheduled", "Initialized", "ContainersReady", "Ready"], pod["status"]!["conditions"]!.AsArray().Select(c => (string?)c!["type"]));
        Assert.Equal("2026-01-01T00:00:00Z", (string?)pod["status"]!["containerStatuses"]![0]!["state"]!["running"]!["startedAt"]);
        Assert.Equal("2026-01-01T00:00:00Z", (string?)pod["status"]!["startTime"]);
    }

    [Fact]
    public void A_pods_status_has_its_own_addresses_and_its_nodes_internal_address_as_the_kubelet_reports_them()
    {
        var store = new LabStore(null, clock: _clock);
        var cluster = Cluster.Valid(Written);
        store.Update(cluster, Facts(Written));

        var status = Served(store.Snapshot, Pods, "a")["status"]!;
        var node = Served(store.Snapshot, Nodes, "node-2")["status"]!["addresses"]!.AsArray().Single(a => (string?)a!["type"] == "InternalIP")!;
        var planned = cluster.Pods.Single(p => p.Name == "a").Status.PodIP!.ToString();

        Assert.Equal((planned, planned), ((string?)status["podIP"], (string?)status["podIPs"]![0]!["ip"]));
        Assert.Equal(((string?)node["address"], (string?)node["address"]), ((string?)status["hostIP"], (string?)status["hostIPs"]![0]!["ip"]));
        Assert.StartsWith("198.", (string?)node["address"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_service_given_load_balancer_addresses_gets_metallbs_ip_allocated_event_once()
    {
        const string Balanced = """
            apiVersion: v1
            kind: Service
            metadata: {name: lb, namespace: x}
            spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}
            """;
        var store = new LabStore(null, clock: _clock);
        var first = Cluster.Valid(Written + "\n---\n" + Balanced);
        store.Update(first, Facts(Written));
        store.Update(Cluster.Valid(Written + "\n---\n" + Balanced.Replace("port: 80", "port: 8080", StringComparison.Ordinal)), Facts(Written));

        var events = store.Snapshot.Objects(ApiResources.Events).Select(e => store.Snapshot.Write(ApiResources.Events, e)).Where(e => (string?)e["involvedObject"]!["kind"] == "Service").ToList();
        var addresses = first.Services.Single(s => s.Name == "lb").LoadBalancerIngress;

        Assert.NotEmpty(addresses);
        var allocated = Assert.Single(events);   // the second change kept the addresses: no second event
        Assert.Equal(("Normal", "IPAllocated", "metallb-controller"), ((string?)allocated["type"], (string?)allocated["reason"], (string?)allocated["source"]!["component"]));
        Assert.Equal($"Assigned IP [{string.Join(",", addresses.Select(a => $"\"{a}\""))}]", (string?)allocated["message"]);
        Assert.Equal(("x", "lb"), ((string?)allocated["involvedObject"]!["namespace"], (string?)allocated["involvedObject"]!["name"]));
    }

    [Fact]
    public void A_change_of_a_field_the_engine_does_not_model_is_a_new_version_that_watches_see()
    {
        var store = new LabStore(null, clock: _clock);
        var cluster = Cluster.Valid(Written);
        store.Update(cluster, Facts(Written));
        var before = store.Snapshot.Version;

        var rewritten = Written.Replace("value: hello", "value: bonjour", StringComparison.Ordinal);
        store.Update(cluster, Facts(rewritten));
        var changes = store.ChangesSince(Pods, before)!.Value.Changes;

        Assert.Equal(("MODIFIED", "a"), (changes.Single().Type, changes.Single().Meta.Name));
        Assert.Equal("bonjour", (string?)changes.Single().Object()["spec"]!["containers"]![0]!["env"]![0]!["value"]);
        Assert.Equal(store.Snapshot.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)Served(store.Snapshot, Pods, "a")["metadata"]!["resourceVersion"]);
    }

    [Fact]
    public void A_services_text_changed_by_a_known_change_of_the_desired_state_is_a_new_version_though_the_plans_services_are_kept()
    {
        const string Services = """
            apiVersion: v1
            kind: Service
            metadata: {name: a, namespace: default}
            spec: {selector: {app: a}, ports: [{port: 80}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: b, namespace: default}
            spec: {selector: {app: b}, ports: [{port: 80}]}
            """;
        var store = new LabStore(null, clock: _clock);
        var cluster = Cluster.Valid(Services);
        var desired = LabManifests.Parse("lab.yaml", Services, DateTimeOffset.UnixEpoch);
        store.Update(cluster, FactsOf(desired));
        var before = store.Snapshot.Version;
        var servicesResource = ApiResources.Find("", "v1", "services")!;
        var versionOfB = (string?)Served(store.Snapshot, servicesResource, "b")["metadata"]!["resourceVersion"];

        // The very same plan (its Services the same collection): only the desired state's change says what moved.
        var annotated = Maille.Kube.ManifestDocument.Parse("a.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: default, annotations: {note: hello}}\nspec: {selector: {app: a}, ports: [{port: 80}]}\n");
        var changed = desired.Apply(annotated, DateTimeOffset.UnixEpoch).Manifests;
        Assert.Equal(desired.Version, changed.ChangedFrom!.From);
        store.Update(cluster, FactsOf(changed));
        var changes = store.ChangesSince(servicesResource, before)!.Value.Changes;

        Assert.Equal(("MODIFIED", "a"), (changes.Single().Type, changes.Single().Meta.Name));
        Assert.Equal("hello", (string?)changes.Single().Object()["metadata"]!["annotations"]!["note"]);
        Assert.Equal(versionOfB, (string?)Served(store.Snapshot, servicesResource, "b")["metadata"]!["resourceVersion"]);
    }

    private static ServedFacts FactsOf(LabManifests desired) =>
        new() { Written = desired.ByKey, Managed = desired.ManagedFields, WrittenVersion = desired.Version, WrittenChange = desired.ChangedFrom };

    [Fact]
    public void A_pod_made_again_under_its_name_is_a_new_object_to_watchers_deleted_then_added_with_its_own_uid_and_start_time()
    {
        var store = new LabStore(null, clock: _clock);
        var first = Written.Replace("metadata: {name: a, namespace: x}", "metadata: {name: a, namespace: x, creationTimestamp: '2026-01-01T00:00:00Z'}", StringComparison.Ordinal);
        store.Update(Cluster.Valid(first), Facts(first));
        var before = store.Snapshot.Version;
        var old = Served(store.Snapshot, Pods, "a");

        _clock.Advance(TimeSpan.FromSeconds(5));
        var again = first.Replace("2026-01-01T00:00:00Z", "2026-01-01T00:00:05Z", StringComparison.Ordinal);
        store.Update(Cluster.Valid(again), Facts(again));
        var changes = store.ChangesSince(Pods, before)!.Value.Changes;
        var now = Served(store.Snapshot, Pods, "a");

        Assert.Equal(["DELETED", "ADDED"], changes.Select(c => c.Type));
        Assert.Equal((string?)old["metadata"]!["uid"], (string?)changes[0].Object()["metadata"]!["uid"]);
        Assert.Equal((string?)now["metadata"]!["uid"], (string?)changes[1].Object()["metadata"]!["uid"]);
        Assert.NotEqual((string?)old["metadata"]!["uid"], (string?)now["metadata"]!["uid"]);
        Assert.Equal("2026-01-01T00:00:00Z", (string?)old["status"]!["startTime"]);
        Assert.Equal("2026-01-01T00:00:05Z", (string?)now["status"]!["startTime"]);
    }

    [Fact]
    public void A_pod_that_starts_and_goes_has_scheduled_started_and_killing_events_about_its_uid()
    {
        var store = new LabStore(null, clock: _clock);
        store.Update(Cluster.Valid("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n"));
        store.Update(Cluster.Valid(Written), Facts(Written));
        var uid = (string?)Served(store.Snapshot, Pods, "a")["metadata"]!["uid"];
        store.Update(Cluster.Valid("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n"));

        var events = store.Snapshot.Objects(ApiResources.Events).Select(e => store.Snapshot.Write(ApiResources.Events, e)).ToList();

        Assert.Equal(["Scheduled", "Pulled", "Created", "Started", "Killing"], events.Select(e => (string?)e["reason"]));
        Assert.All(events, e => Assert.Equal(("Pod", "x", "a", uid), ((string?)e["involvedObject"]!["kind"], (string?)e["involvedObject"]!["namespace"], (string?)e["involvedObject"]!["name"], (string?)e["involvedObject"]!["uid"])));
        Assert.Equal("Successfully assigned x/a to node-2", (string?)events[0]["message"]);
        Assert.Equal("spec.containers{c}", (string?)events[3]["involvedObject"]!["fieldPath"]);
        Assert.Equal(("kubelet", "node-2"), ((string?)events[3]["source"]!["component"], (string?)events[3]["source"]!["host"]));
        Assert.Contains(store.ChangesSince(ApiResources.EventsV1, 2)!.Value.Changes, c => c.Type == "ADDED" && c.Object()["note"]!.ToString() == "Stopping container c");
    }

    [Fact]
    public void A_down_node_is_not_ready_and_says_so_in_an_event_and_a_terminating_namespace_has_its_phase()
    {
        var store = new LabStore(null, clock: _clock);
        var cluster = Cluster.Valid(Written);
        store.Update(cluster, Facts(Written));
        _clock.Advance(TimeSpan.FromMinutes(1));
        store.Update(cluster, Facts(Written) with
        {
            DownNodes = new HashSet<string> { "node-3" },
            TerminatingNamespaces = new Dictionary<string, DateTimeOffset> { ["x"] = _clock.GetUtcNow() },
        });

        var view = store.Snapshot;
        var ready = Served(view, Nodes, "node-3")["status"]!["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "Ready")!;
        var namespace_ = Served(view, Namespaces, "x");

        Assert.Equal(("False", "2026-01-01T00:01:00Z"), ((string?)ready["status"], (string?)ready["lastTransitionTime"]));
        Assert.Equal("True", (string?)Served(view, Nodes, "node-1")["status"]!["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "Ready")!["status"]);
        Assert.Contains(view.Objects(ApiResources.Events), e => e.Model is LabEvent { Reason: "NodeNotReady", Subject.Name: "node-3" });
        Assert.Equal(("Terminating", "2026-01-01T00:01:00Z"), ((string?)namespace_["status"]!["phase"], (string?)namespace_["metadata"]!["deletionTimestamp"]));
    }

    [Fact]
    public void Pods_and_the_replica_set_a_deployment_makes_show_its_template_as_written()
    {
        const string Deployment = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: x}
            spec:
              replicas: 1
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: agnhost, env: [{name: MODE, value: fast}]}]}
            """;
        var store = new LabStore(null, clock: _clock);
        store.Update(Cluster.Valid(Deployment), Facts(Deployment));
        var view = store.Snapshot;
        var replicaSets = ApiResources.Find("apps", "v1", "replicasets")!;

        var pod = view.Write(Pods, view.Objects(Pods).Single());
        var replicaSet = view.Write(replicaSets, view.Objects(replicaSets).Single());

        Assert.Equal("fast", (string?)pod["spec"]!["containers"]![0]!["env"]![0]!["value"]);
        Assert.NotNull(pod["metadata"]!["labels"]!["pod-template-hash"]);
        Assert.Equal("ReplicaSet", (string?)pod["metadata"]!["ownerReferences"]![0]!["kind"]);
        Assert.Equal("fast", (string?)replicaSet["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]![0]!["value"]);
    }
}
