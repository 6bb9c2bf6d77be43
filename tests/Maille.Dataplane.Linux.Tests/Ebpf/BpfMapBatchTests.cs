using System.Net;
using Maille.Dataplane.Ebpf;
using Maille.Dataplane.Linux.Ebpf;
using Maille.TestKit;

namespace Maille.Dataplane.Linux.Tests.Ebpf;

// The batched map writes (bpf_map_update_batch, bpf_map_delete_batch) on real maps: the built objects loaded with
// libbpf, no program attached (maps only, nothing in any namespace or cgroup), freed at the end.
public sealed class BpfMapBatchTests
{
    [SkippableFact]
    public void A_batch_of_updates_writes_every_element_and_a_batch_of_deletes_skips_the_keys_the_map_does_not_hold()
    {
        Privileged.Require();
        using var socketLb = BpfObject.Load(NodeSocketLoadBalancer.DefaultObjectPath);
        var backends = socketLb.Map("backends", SocketLbLayout.BackendKeySize);
        var keys = Enumerable.Range(0, 3000).Select(i => SocketLbLayout.BackendKey((uint)(i / 10) + 1, i % 10)).ToList();
        var values = Enumerable.Range(0, 3000).Select(i => SocketLbLayout.BackendValue(new SocketLbBackend(IPAddress.Parse($"198.19.{i / 250}.{(i % 250) + 1}"), 8080))).ToList();

        BpfMapWrites.Apply(new Dictionary<string, BpfMap> { ["backends"] = backends }, keys.Select((k, i) => ("backends", k, (byte[]?)values[i])));

        Assert.Equal(3000, backends.Count());
        Assert.Equal(values[1234], backends.Lookup(keys[1234], SocketLbLayout.BackendValueSize));

        // Every other key goes, with keys the map never held in between: the batch stops at each and goes on after it.
        var gone = keys.Where((_, i) => i % 2 == 0).ToList();
        var withMissing = gone.SelectMany((k, i) => i % 100 == 0 ? [SocketLbLayout.BackendKey(9999, i), k] : new[] { k }).ToList();
        backends.DeleteMany(withMissing);

        Assert.Equal(1500, backends.Count());
        Assert.All(gone, k => Assert.Null(backends.Lookup(k, SocketLbLayout.BackendValueSize)));
        Assert.Equal(values[1235], backends.Lookup(keys[1235], SocketLbLayout.BackendValueSize));
    }

    [SkippableFact]
    public void An_LPM_trie_without_batches_gets_every_element_one_by_one()
    {
        Privileged.Require();
        using var podPolicy = BpfObject.Load(Path.Combine(AppContext.BaseDirectory, "bpf", NodePodPolicy.ObjectFile));
        var peers = podPolicy.Map("peers", PodPolicyLayout.PeerKeySize);
        var keys = Enumerable.Range(0, 500).Select(i => PodPolicyLayout.PeerKey((uint)i + 1, new AddressPrefix(0xC6130000u, 16))).ToList();
        var values = Enumerable.Range(0, 500).Select(i => PodPolicyLayout.PeerValue((uint)i, 0, null)).ToList();

        peers.UpdateMany(keys, values);
        peers.UpdateMany(keys, values);

        Assert.Equal(500, peers.Count());
        Assert.Equal(values[77], peers.Lookup(keys[77], PodPolicyLayout.PeerValueSize));
        peers.DeleteMany(keys);
        Assert.Equal(0, peers.Count());
    }
}
