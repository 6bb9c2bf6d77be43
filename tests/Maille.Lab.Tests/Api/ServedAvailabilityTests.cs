using System.Text.Json.Nodes;
using Maille.Lab.Api;
using Maille.Lab.Labs;
using Maille.TestKit;

namespace Maille.Lab.Tests.Api;

/// <summary>
/// The served counts of workloads that wait <c>minReadySeconds</c>: a Ready pod is available once it has been Ready that
/// long by the lab's clock, as the controllers count it, and the store tells watchers when that happens, though no
/// object was written then.
/// </summary>
public sealed class ServedAvailabilityTests
{
    private static readonly ApiResource Deployments = ApiResources.Find("apps", "v1", "deployments")!;
    private static readonly ApiResource ReplicaSets = ApiResources.Find("apps", "v1", "replicasets")!;
    private static readonly ApiResource StatefulSets = ApiResources.Find("apps", "v1", "statefulsets")!;
    private static readonly ApiResource DaemonSets = ApiResources.Find("apps", "v1", "daemonsets")!;

    private readonly ManualTimeProvider _clock = new();

    private LabStore Published(string yaml)
    {
        var store = new LabStore(null, clock: _clock);
        store.Update(Cluster.Valid(yaml), new ServedFacts { Written = LabManifests.Parse("lab.yaml", yaml, DateTimeOffset.UnixEpoch).ByKey });
        return store;
    }

    private static JsonNode Status(LabStore store, ApiResource resource, string name) =>
        ServedViews.Served(store.Snapshot, resource, name)["status"]!;

    private static int Count(JsonNode status, string field) => (int?)status[field] ?? 0;

    private static string? Condition(JsonNode status, string type) =>
        status["conditions"]?.AsArray().Where(c => (string?)c!["type"] == type).Select(c => $"{c!["status"]}/{c["reason"]}").SingleOrDefault();

    [Fact]
    public void Ready_pods_count_as_available_only_after_min_ready_seconds_on_every_workload_kind()
    {
        var store = Published(Fixtures.MinReadyWorkloads(10));
        var nodes = store.Snapshot.Cluster.Nodes.Count;
        _clock.Advance(TimeSpan.FromSeconds(9));

        var deployment = Status(store, Deployments, "web");
        Assert.Equal((2, 0, 2), (Count(deployment, "readyReplicas"), Count(deployment, "availableReplicas"), Count(deployment, "unavailableReplicas")));
        Assert.Equal("False/MinimumReplicasUnavailable", Condition(deployment, "Available"));
        var replicaSet = store.Snapshot.Objects(ReplicaSets).Single().Meta.Name;
        Assert.Equal((2, 0), (Count(Status(store, ReplicaSets, replicaSet), "readyReplicas"), Count(Status(store, ReplicaSets, replicaSet), "availableReplicas")));
        Assert.Equal((2, 0), (Count(Status(store, StatefulSets, "db"), "readyReplicas"), Count(Status(store, StatefulSets, "db"), "availableReplicas")));
        Assert.Equal((nodes, 0), (Count(Status(store, DaemonSets, "agent"), "numberReady"), Count(Status(store, DaemonSets, "agent"), "numberAvailable")));

        _clock.Advance(TimeSpan.FromSeconds(1));

        deployment = Status(store, Deployments, "web");
        Assert.Equal((2, 0), (Count(deployment, "availableReplicas"), Count(deployment, "unavailableReplicas")));
        Assert.Equal("True/MinimumReplicasAvailable", Condition(deployment, "Available"));
        Assert.Equal(2, Count(Status(store, ReplicaSets, replicaSet), "availableReplicas"));
        Assert.Equal(2, Count(Status(store, StatefulSets, "db"), "availableReplicas"));
        Assert.Equal(nodes, Count(Status(store, DaemonSets, "agent"), "numberAvailable"));
    }

    [Fact]
    public void A_watcher_of_a_deployment_sees_available_replicas_rise_when_min_ready_seconds_have_passed()
    {
        var store = Published(Fixtures.MinReadyWorkloads(10));
        var before = store.Snapshot.Version;
        var told = store.Watch();

        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Empty(store.ChangesSince(Deployments, before)!.Value.Changes);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var changes = store.ChangesSince(Deployments, before)!.Value.Changes;

        Assert.True(told.TryRead(out var version));
        Assert.Equal(store.Snapshot.Version, version);
        var change = Assert.Single(changes);
        Assert.Equal(("MODIFIED", "web"), (change.Type, change.Meta.Name));
        Assert.Equal(2, Count(change.Object()["status"]!, "availableReplicas"));
        Assert.Equal(version.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)ServedViews.Served(store.Snapshot, Deployments, "web")["metadata"]!["resourceVersion"]);
    }

    [Fact]
    public void Without_min_ready_seconds_a_ready_pod_is_available_at_once()
    {
        var store = Published(Fixtures.MinReadyWorkloads(0));

        Assert.Equal(2, Count(Status(store, Deployments, "web"), "availableReplicas"));
        Assert.Null(store.Snapshot.Availability);
    }
}
