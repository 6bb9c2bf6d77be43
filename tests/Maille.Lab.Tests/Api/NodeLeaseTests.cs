using Maille.Lab.Api;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Lab.Tests.Api;

/// <summary>
/// Each node's lease in kube-node-lease, as a kubelet keeps it: held by the node, renewed while the node runs, at most
/// once per renewal interval (so watchers of leases hear of each node no more often), and served with kubectl's columns.
/// </summary>
public sealed class NodeLeaseTests
{
    private static readonly ApiResource Leases = ApiResources.Find("coordination.k8s.io", "v1", "leases")!;

    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private static string? RenewTime(ApiView view, string node) =>
        (string?)view.Write(Leases, view.Objects(Leases).Single(o => o.Meta.Name == node))["spec"]!["renewTime"];

    [Fact]
    public void Every_node_has_a_lease_it_holds_created_with_it_and_owned_by_its_node()
    {
        var created = new DateTimeOffset(2025, 12, 31, 23, 0, 0, TimeSpan.Zero);
        var store = new LabStore(null, clock: _clock);
        store.Update(Cluster.Valid("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n", ClusterConfig.Default with { NodesCreated = created }));
        var view = store.Snapshot;

        var lease = view.Write(Leases, view.Objects(Leases).Single(o => o.Meta.Name == "node-2"));
        var node = view.Write(ApiResources.Find("", "v1", "nodes")!, view.Objects(ApiResources.Find("", "v1", "nodes")!).Single(o => o.Meta.Name == "node-2"));
        var (columns, rows) = TableResponse.Rows(Leases, view.Cluster, _ => true, _clock);

        Assert.Equal(["node-1", "node-2", "node-3"], view.Objects(Leases).Select(o => o.Meta.Name));
        Assert.Equal(("kube-node-lease", "node-2", 40), ((string?)lease["metadata"]!["namespace"], (string?)lease["spec"]!["holderIdentity"], (int?)lease["spec"]!["leaseDurationSeconds"]));
        Assert.Equal(("Node", (string?)node["metadata"]!["uid"]), ((string?)lease["metadata"]!["ownerReferences"]![0]!["kind"], (string?)lease["metadata"]!["ownerReferences"]![0]!["uid"]));
        Assert.Equal("2025-12-31T23:00:00Z", (string?)node["metadata"]!["creationTimestamp"]);
        Assert.Equal("2025-12-31T23:00:00Z", (string?)lease["metadata"]!["creationTimestamp"]);
        Assert.Equal(["NAME", "HOLDER", "AGE"], columns.Select(c => (string?)c!["name"]));
        Assert.Equal(["node-2", "node-2", "60m"], rows[1].Cells);
        Assert.Contains(Discovery.Catalog("coordination.k8s.io", "v1"), r => r is { Resource: "leases", Subresource: null, Namespaced: true, Kind: "Lease" } && r.Verbs.SequenceEqual(["get", "list", "watch"]));
    }

    [Fact]
    public void A_running_nodes_lease_is_renewed_no_more_often_than_the_interval_and_a_stopped_nodes_is_not()
    {
        var store = new LabStore(null, clock: _clock);
        store.Update(Cluster.Valid("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n"));
        string[] running = ["node-1", "node-2"];

        store.RenewLeases(running);
        var first = store.Snapshot.Version;
        _clock.Advance(TimeSpan.FromSeconds(4));
        store.RenewLeases(running);
        var early = store.Snapshot.Version;
        _clock.Advance(LabStore.LeaseRenewInterval);
        store.RenewLeases(running);
        var changes = store.ChangesSince(Leases, early)!.Value.Changes;

        Assert.Equal(first, early);
        Assert.Equal(store.Snapshot.Version, early + 1);
        Assert.Equal([("MODIFIED", "node-1"), ("MODIFIED", "node-2")], changes.Select(c => (c.Type, c.Meta.Name)));
        Assert.Equal("2026-01-01T00:00:14Z", RenewTime(store.Snapshot, "node-1"));
        Assert.Null(RenewTime(store.Snapshot, "node-3"));
        Assert.Equal("2026-01-01T00:00:14Z", (string?)changes[0].Object()["spec"]!["renewTime"]);
    }
}
