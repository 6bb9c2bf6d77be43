using System.Net;
using Maille.Model;

namespace Maille.Dataplane.Ebpf.Tests;

// SocketLbWalker reads map entries as the BPF programs do; here the maps are dictionaries filled with the layout's
// own bytes (SocketLbLayout), so each case states what the kernel would hold.
public sealed class SocketLbWalkerTests
{
    private static readonly IPAddress Node = IPAddress.Parse("198.18.0.12");
    private static readonly SocketLbBackend Web1 = new(IPAddress.Parse("198.19.1.5"), 8080);
    private static readonly SocketLbBackend Web2 = new(IPAddress.Parse("198.19.2.5"), 8080);

    private readonly Dictionary<(SocketLbMap, string), byte[]> _maps = [];

    [Fact]
    public void From_outside_a_Cluster_NodePort_names_its_nodeports_entry_each_endpoint_slot_and_the_masquerade_address()
    {
        External(30080, id: 7, [Web1, Web2], SocketLbLayout.MasqueradeFlag, masquerade: Node);

        var walk = SocketLbWalker.WalkFromOutside(Lookup, Node, 30080, Protocol.TCP);

        Assert.True(walk.IsService);
        Assert.False(walk.Dropped);
        Assert.Equal([Web1, Web2], walk.Backends);
        Assert.Equal(Node, walk.Masquerade);
        Assert.Equal(
            [
                "nodeports[198.18.0.12:30080/tcp] → Service 7, 2 endpoint(s): conntrack entry made by the tc program, DNAT to the endpoint, masqueraded to 198.18.0.12",
                "backends[7, 0] → 198.19.1.5:8080",
                "backends[7, 1] → 198.19.2.5:8080",
            ],
            walk.Steps);
    }

    [Fact]
    public void From_outside_a_Local_entry_keeps_the_client_address_and_says_so()
    {
        External(8081, id: 3, [Web2], SocketLbLayout.AffinityFlag, masquerade: null, affinitySeconds: 60);

        var walk = SocketLbWalker.WalkFromOutside(Lookup, Node, 8081, Protocol.TCP);

        Assert.Null(walk.Masquerade);
        Assert.Equal([Web2], walk.Backends);
        Assert.Equal("nodeports[198.18.0.12:8081/tcp] → Service 3, 1 endpoint(s), sessionAffinity ClientIP for 60 s: conntrack entry made by the tc program, DNAT to the endpoint, the client's address kept (externalTrafficPolicy Local)", walk.Steps[0]);
    }

    [Fact]
    public void From_outside_Local_with_no_endpoint_on_the_node_is_dropped_and_no_endpoint_anywhere_is_left_to_nftables()
    {
        External(31000, id: 4, [], flags: 0, masquerade: null);
        External(30081, id: 5, [], SocketLbLayout.RejectFlag, masquerade: null);

        var local = SocketLbWalker.WalkFromOutside(Lookup, Node, 31000, Protocol.TCP);
        var nobody = SocketLbWalker.WalkFromOutside(Lookup, Node, 30081, Protocol.TCP);
        var unknown = SocketLbWalker.WalkFromOutside(Lookup, Node, 30082, Protocol.TCP);
        var otherProtocol = SocketLbWalker.WalkFromOutside(Lookup, Node, 30080, Protocol.UDP);

        Assert.True(local is { IsService: true, Dropped: true, Backends.Count: 0 });
        Assert.EndsWith("externalTrafficPolicy Local and no endpoint on this node: dropped (TC_ACT_SHOT)", Assert.Single(local.Steps), StringComparison.Ordinal);
        Assert.False(nobody.IsService);
        Assert.EndsWith("no endpoint anywhere: the tc program leaves the packet to nftables' reject", Assert.Single(nobody.Steps), StringComparison.Ordinal);
        Assert.False(unknown.IsService);
        Assert.Equal("nodeports[198.18.0.12:30082/tcp]: none: the tc program leaves the packet to nftables", Assert.Single(unknown.Steps));
        Assert.False(otherProtocol.IsService);
    }

    [Fact]
    public void A_slot_missing_from_backends_is_named_as_drift_and_left_out()
    {
        External(30080, id: 7, [Web1, Web2], SocketLbLayout.MasqueradeFlag, masquerade: Node);
        _maps.Remove((SocketLbMap.Backends, Convert.ToHexString(SocketLbLayout.BackendKey(7, 1))));

        var walk = SocketLbWalker.WalkFromOutside(Lookup, Node, 30080, Protocol.TCP);

        Assert.Equal([Web1], walk.Backends);
        Assert.Equal("backends[7, 1]: missing (drift)", walk.Steps[^1]);
    }

    [Fact]
    public void From_a_pod_the_services_entry_decides_and_the_nodeports_one_is_not_read()
    {
        External(30080, id: 7, [Web1, Web2], SocketLbLayout.MasqueradeFlag, masquerade: Node);

        var walk = SocketLbWalker.Walk(Lookup, Node, 30080, Protocol.TCP);

        Assert.False(walk.IsService);
        Assert.Equal("services[198.18.0.12:30080/tcp]: none: the socket hooks leave the connection as it is", Assert.Single(walk.Steps));
    }

    private byte[]? Lookup(SocketLbMap map, byte[] key, int size)
    {
        var value = _maps.GetValueOrDefault((map, Convert.ToHexString(key)));
        Assert.True(value is null || value.Length == size, $"{map}: a value of {value?.Length} bytes read as {size}");
        return value;
    }

    private void External(int port, uint id, SocketLbBackend[] backends, byte flags, IPAddress? masquerade, int affinitySeconds = 0)
    {
        _maps[(SocketLbMap.External, Convert.ToHexString(SocketLbLayout.ServiceKey(Node, port, Protocol.TCP)))] =
            SocketLbLayout.ExternalValue(id, backends.Length, flags, affinitySeconds, masquerade);
        for (var slot = 0; slot < backends.Length; slot++)
        {
            _maps[(SocketLbMap.Backends, Convert.ToHexString(SocketLbLayout.BackendKey(id, slot)))] = SocketLbLayout.BackendValue(backends[slot]);
        }
    }
}
