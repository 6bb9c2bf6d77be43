using System.Buffers.Binary;
using System.Net;
using Maille.Model;

namespace Maille.Dataplane.Ebpf;

/// <summary>
/// Reads what <c>bpf/socket_lb.bpf.c</c>'s <c>connect4</c>/<c>sendmsg4</c> hooks read for a connection to an address
/// and port: the <c>services</c> entry, then each of its <c>backends</c> slots (the hook picks one at random, or the
/// affinity's), with lookups into the maps the node holds now (<c>lookup</c>: the map, the key, the value's size → the
/// value, or null). For <c>trace --lab</c> in the ebpf mode.
/// </summary>
public static class SocketLbWalker
{
    public static SocketLbWalk Walk(Func<SocketLbMap, byte[], int, byte[]?> lookup, IPAddress address, int port, Protocol protocol)
    {
        var steps = new List<string>();
        var name = EntryName(address, port, protocol);
        if (Entry(lookup, SocketLbMap.Services, SocketLbLayout.ServiceValueSize, address, port, protocol) is not { } service)
        {
            steps.Add($"services[{name}]: none: the socket hooks leave the connection as it is");
            return new SocketLbWalk(false, false, [], steps);
        }

        var (id, count, flags, affinity) = service;
        if ((flags & SocketLbLayout.RejectFlag) != 0)
        {
            steps.Add($"services[{name}] → Service {id}, no endpoint: connect() and sendmsg() fail with ECONNREFUSED");
            return new SocketLbWalk(true, true, [], steps);
        }

        steps.Add($"services[{name}] → Service {id}, {count} endpoint(s){affinity}: the address is rewritten at connect(), no NAT per packet");
        return new SocketLbWalk(true, false, Backends(lookup, id, count, steps), steps);
    }

    /// <summary>
    /// What <c>maille_nodeport</c>, the tc program on the node's interface, reads for a new connection from outside the
    /// node to an address and port: the <c>nodeports</c> entry (a NodePort on this node's address, a LoadBalancer IP or
    /// an externalIP), then each <c>backends</c> slot; conntrack then translates the connection (DNAT to the chosen
    /// endpoint, SNAT to the masquerade address under externalTrafficPolicy Cluster).
    /// </summary>
    public static SocketLbWalk WalkFromOutside(Func<SocketLbMap, byte[], int, byte[]?> lookup, IPAddress address, int port, Protocol protocol)
    {
        var steps = new List<string>();
        var name = EntryName(address, port, protocol);
        if (Entry(lookup, SocketLbMap.External, SocketLbLayout.ExternalValueSize, address, port, protocol) is not { } external)
        {
            steps.Add($"nodeports[{name}]: none: the tc program leaves the packet to nftables");
            return new SocketLbWalk(false, false, [], steps);
        }

        var (id, count, flags, affinity) = external;
        if (count == 0)
        {
            if ((flags & SocketLbLayout.RejectFlag) != 0)
            {
                steps.Add($"nodeports[{name}] → Service {id}, no endpoint anywhere: the tc program leaves the packet to nftables' reject");
                return new SocketLbWalk(false, false, [], steps);
            }

            steps.Add($"nodeports[{name}] → Service {id}, externalTrafficPolicy Local and no endpoint on this node: dropped (TC_ACT_SHOT)");
            return new SocketLbWalk(true, false, [], steps) { Dropped = true };
        }

        var masquerade = (flags & SocketLbLayout.MasqueradeFlag) != 0 ? new IPAddress(external.Value.AsSpan(12, 4)) : null;
        var source = masquerade is null ? "the client's address kept (externalTrafficPolicy Local)" : $"masqueraded to {masquerade}";
        steps.Add($"nodeports[{name}] → Service {id}, {count} endpoint(s){affinity}: conntrack entry made by the tc program, DNAT to the endpoint, {source}");
        return new SocketLbWalk(true, false, Backends(lookup, id, count, steps), steps) { Masquerade = masquerade };
    }

    private static string EntryName(IPAddress address, int port, Protocol protocol) =>
        $"{address}:{port}/{protocol.ToString().ToLowerInvariant()}";

    /// <summary>
    /// A <c>services</c> or <c>nodeports</c> value, whose heads are laid out alike: Service id (4 bytes), endpoint count
    /// (2), flags (1), then the affinity timeout at 8. Null when the map has no entry (or the protocol none).
    /// </summary>
    private static SocketLbEntry? Entry(Func<SocketLbMap, byte[], int, byte[]?> lookup, SocketLbMap map, int valueSize, IPAddress address, int port, Protocol protocol)
    {
        if (protocol is not (Protocol.TCP or Protocol.UDP) || lookup(map, SocketLbLayout.ServiceKey(address, port, protocol), valueSize) is not { } value)
        {
            return null;
        }

        var flags = value[6];
        var affinity = (flags & SocketLbLayout.AffinityFlag) != 0 ? $", sessionAffinity ClientIP for {BitConverter.ToUInt32(value, 8)} s" : "";
        return new SocketLbEntry(BitConverter.ToUInt32(value, 0), BitConverter.ToUInt16(value, 4), flags, affinity, value);
    }

    private static List<SocketLbBackend> Backends(Func<SocketLbMap, byte[], int, byte[]?> lookup, uint id, int count, List<string> steps)
    {
        var backends = new List<SocketLbBackend>();
        for (var slot = 0; slot < count; slot++)
        {
            if (lookup(SocketLbMap.Backends, SocketLbLayout.BackendKey(id, slot), SocketLbLayout.BackendValueSize) is not { } value)
            {
                steps.Add($"backends[{id}, {slot}]: missing (drift)");
                continue;
            }

            var backend = new SocketLbBackend(new IPAddress(value.AsSpan(0, 4)), BinaryPrimitives.ReadUInt16BigEndian(value.AsSpan(4, 2)));
            backends.Add(backend);
            steps.Add($"backends[{id}, {slot}] → {backend}");
        }

        return backends;
    }
}
