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

        return new SocketLbWalk(true, false, backends, steps);
    }
}
