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
        var name = $"{address}:{port}/{protocol.ToString().ToLowerInvariant()}";
        if (protocol is not (Protocol.TCP or Protocol.UDP)
            || lookup(SocketLbMap.Services, SocketLbLayout.ServiceKey(address, port, protocol), SocketLbLayout.ServiceValueSize) is not { } service)
        {
            steps.Add($"services[{name}]: none: the socket hooks leave the connection as it is");
            return new SocketLbWalk(false, false, [], steps);
        }

        var id = BitConverter.ToUInt32(service, 0);
        var count = BitConverter.ToUInt16(service, 4);
        var flags = service[6];
        var affinity = (flags & SocketLbLayout.AffinityFlag) != 0 ? $", sessionAffinity ClientIP for {BitConverter.ToUInt32(service, 8)} s" : "";
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
        var name = $"{address}:{port}/{protocol.ToString().ToLowerInvariant()}";
        if (protocol is not (Protocol.TCP or Protocol.UDP)
            || lookup(SocketLbMap.External, SocketLbLayout.ServiceKey(address, port, protocol), SocketLbLayout.ExternalValueSize) is not { } external)
        {
            steps.Add($"nodeports[{name}]: none: the tc program leaves the packet to nftables");
            return new SocketLbWalk(false, false, [], steps);
        }

        var id = BitConverter.ToUInt32(external, 0);
        var count = BitConverter.ToUInt16(external, 4);
        var flags = external[6];
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

        var masquerade = (flags & SocketLbLayout.MasqueradeFlag) != 0 ? new IPAddress(external.AsSpan(12, 4)) : null;
        var affinity = (flags & SocketLbLayout.AffinityFlag) != 0 ? $", sessionAffinity ClientIP for {BitConverter.ToUInt32(external, 8)} s" : "";
        var source = masquerade is null ? "the client's address kept (externalTrafficPolicy Local)" : $"masqueraded to {masquerade}";
        steps.Add($"nodeports[{name}] → Service {id}, {count} endpoint(s){affinity}: conntrack entry made by the tc program, DNAT to the endpoint, {source}");
        return new SocketLbWalk(true, false, Backends(lookup, id, count, steps), steps) { Masquerade = masquerade };
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
