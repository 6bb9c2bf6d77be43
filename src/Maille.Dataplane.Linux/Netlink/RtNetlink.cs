using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using Maille.Dataplane.Linux.Netns;
using static Maille.Dataplane.Linux.Netlink.RtNetlinkConstants;

namespace Maille.Dataplane.Linux.Netlink;

/// <summary>
/// A minimal rtnetlink client bound to one network namespace. Requests are queued and sent by
/// <see cref="Flush"/> in batches (many messages per sendmsg); every request asks for an ack, and the first
/// refusal is thrown as a <see cref="NetlinkException"/> naming the request in <c>ip</c> syntax.
/// Devices are named by index: the builder picks the indexes of the devices it creates
/// (a fresh namespace has only <c>lo</c> = 1), so a whole batch needs no lookups.
/// </summary>
public sealed class RtNetlink : IDisposable
{
    private const int MaxBatchMessages = 256;
    private const int MaxBatchBytes = 96 * 1024;

    private readonly NetlinkSocket _socket;
    private readonly string _label;
    private readonly NetlinkMessageWriter _writer = new();
    private readonly List<(int Start, string Request)> _queued = [];
    private readonly List<NetworkNamespace> _referenced = [];
    private readonly byte[] _receiveBuffer = new byte[256 * 1024];
    private uint _sequence;

    private RtNetlink(NetlinkSocket socket, string label)
    {
        _socket = socket;
        _label = label;
    }

    /// <summary>Opens a client for the calling thread's namespace.</summary>
    public static RtNetlink OpenCurrent() => new(NetlinkSocket.OpenRoute(), "current namespace");

    /// <summary>Opens a client for <paramref name="target"/>: the socket is created inside it and stays bound to it.</summary>
    public static RtNetlink OpenIn(NetworkNamespace target) => new(target.RunInside(NetlinkSocket.OpenRoute), target.Name);

    /// <summary>Opens a client on the calling thread, which must already be inside <paramref name="target"/>.</summary>
    internal static RtNetlink OpenHere(NetworkNamespace target) => new(NetlinkSocket.OpenRoute(), target.Name);

    public int QueuedCount => _queued.Count;

    /// <summary>
    /// <c>ip link add NAME type veth peer name PEER netns PEERNS</c>: the peer is created directly in
    /// <paramref name="peerNamespace"/> (IFLA_NET_NS_FD), already named there. <paramref name="up"/> brings this
    /// side up; the peer stays down (the kernel applies no flags to it).
    /// </summary>
    public void CreateVeth(string name, string peerName, NetworkNamespace? peerNamespace, int index = 0, int peerIndex = 0,
        int masterIndex = 0, bool up = false, int mtu = 0, PhysicalAddress? address = null, PhysicalAddress? peerAddress = null)
    {
        var start = BeginLink(NewLink, FlagCreate | FlagExclusive, index, up);
        _writer.AttributeString(IflaIfName, name);
        if (address is not null)
        {
            _writer.Attribute(IflaAddress, address.GetAddressBytes());
        }

        WriteCommonLink(mtu, masterIndex);
        var linkInfo = _writer.BeginNested(IflaLinkInfo);
        _writer.AttributeString(IflaInfoKind, "veth");
        var data = _writer.BeginNested(IflaInfoData);
        var peer = _writer.BeginNested(VethInfoPeer);
        WriteIfInfo(peerIndex, up: false);
        _writer.AttributeString(IflaIfName, peerName);
        if (peerAddress is not null)
        {
            _writer.Attribute(IflaAddress, peerAddress.GetAddressBytes());
        }

        if (mtu > 0)
        {
            _writer.AttributeU32(IflaMtu, (uint)mtu);
        }

        if (peerNamespace is not null)
        {
            Reference(peerNamespace);
            _writer.AttributeU32(IflaNetNsFd, (uint)peerNamespace.Handle.Number);
        }

        _writer.EndNested(peer);
        _writer.EndNested(data);
        _writer.EndNested(linkInfo);
        End(start, $"ip link add {name}{IndexText(index)} type veth peer name {peerName}{IndexText(peerIndex)}"
            + (peerNamespace is null ? "" : $" netns {peerNamespace.Name}"));
    }

    /// <summary><c>ip link add NAME type bridge</c>.</summary>
    public void CreateBridge(string name, int index = 0, bool up = false, int mtu = 0)
    {
        var start = BeginLink(NewLink, FlagCreate | FlagExclusive, index, up);
        _writer.AttributeString(IflaIfName, name);
        WriteCommonLink(mtu, masterIndex: 0);
        var linkInfo = _writer.BeginNested(IflaLinkInfo);
        _writer.AttributeString(IflaInfoKind, "bridge");
        _writer.EndNested(linkInfo);
        End(start, $"ip link add {name}{IndexText(index)} type bridge");
    }

    /// <summary><c>ip link add NAME type vxlan id VNI local LOCAL dstport PORT dev LINK nolearning</c>.</summary>
    public void CreateVxlan(string name, uint vni, IPAddress local, ushort destinationPort, int linkIndex, int index = 0,
        bool up = false, bool learning = false, int mtu = 0)
    {
        var start = BeginLink(NewLink, FlagCreate | FlagExclusive, index, up);
        _writer.AttributeString(IflaIfName, name);
        WriteCommonLink(mtu, masterIndex: 0);
        var linkInfo = _writer.BeginNested(IflaLinkInfo);
        _writer.AttributeString(IflaInfoKind, "vxlan");
        var data = _writer.BeginNested(IflaInfoData);
        _writer.AttributeU32(IflaVxlanId, vni);
        _writer.AttributeAddress(IflaVxlanLocal, local);
        _writer.AttributeU32(IflaVxlanLink, (uint)linkIndex);
        _writer.AttributeU16BigEndian(IflaVxlanPort, destinationPort);
        _writer.AttributeU8(IflaVxlanLearning, learning ? (byte)1 : (byte)0);
        _writer.EndNested(data);
        _writer.EndNested(linkInfo);
        End(start, $"ip link add {name}{IndexText(index)} type vxlan id {vni} local {local} dstport {destinationPort} dev #{linkIndex}"
            + (learning ? "" : " nolearning"));
    }

    /// <summary><c>ip link set dev #INDEX [up] [mtu MTU] [master #MASTER]</c>.</summary>
    public void SetLink(int index, bool up = false, int mtu = 0, int masterIndex = 0)
    {
        var start = BeginLink(NewLink, 0, index, up);
        WriteCommonLink(mtu, masterIndex);
        End(start, $"ip link set dev #{index}" + (up ? " up" : "") + (mtu > 0 ? $" mtu {mtu}" : "")
            + (masterIndex > 0 ? $" master #{masterIndex}" : ""));
    }

    /// <summary><c>ip link set dev #INDEX up|down</c>: unlike <see cref="SetLink"/>, this can also take a link down.</summary>
    public void SetLinkState(int index, bool up)
    {
        var start = _writer.BeginMessage(NewLink, (ushort)(FlagRequest | FlagAck), ++_sequence);
        var info = _writer.Reserve(16);
        info[0] = AfUnspec;
        BinaryPrimitives.WriteInt32LittleEndian(info[4..], index);
        BinaryPrimitives.WriteUInt32LittleEndian(info[8..], up ? IffUp : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(info[12..], IffUp);
        End(start, $"ip link set dev #{index} {(up ? "up" : "down")}");
    }

    /// <summary><c>ip link delete dev #INDEX</c> (a veth takes its peer with it).</summary>
    public void DeleteLink(int index)
    {
        var start = _writer.BeginMessage(DeleteLinkMessage, (ushort)(FlagRequest | FlagAck), ++_sequence);
        var info = _writer.Reserve(16);
        info[0] = AfUnspec;
        BinaryPrimitives.WriteInt32LittleEndian(info[4..], index);
        End(start, $"ip link delete dev #{index}");
    }

    /// <summary><c>ip addr add ADDRESS/PREFIX dev #INDEX</c>.</summary>
    public void AddAddress(int index, IPAddress address, int prefixLength) =>
        AddressRequest(NewAddress, FlagRequest | FlagAck | FlagCreate | FlagExclusive, index, address, prefixLength, "add");

    /// <summary><c>ip addr del ADDRESS/PREFIX dev #INDEX</c>.</summary>
    public void RemoveAddress(int index, IPAddress address, int prefixLength) =>
        AddressRequest(DelAddress, FlagRequest | FlagAck, index, address, prefixLength, "del");

    /// <summary><c>ip route add DESTINATION [via GATEWAY] dev #INDEX [onlink] [scope SCOPE]</c> in the main table.</summary>
    public void AddRoute(IPNetwork destination, int outputIndex, IPAddress? gateway = null, bool onLink = false,
        RouteScope scope = RouteScope.Universe)
    {
        var start = _writer.BeginMessage(NewRoute, FlagRequest | FlagAck | FlagCreate | FlagExclusive, ++_sequence);
        var header = _writer.Reserve(12);
        header[0] = FamilyOf(destination.BaseAddress);
        header[1] = (byte)destination.PrefixLength;
        header[4] = RtTableMain;
        header[5] = RtProtocolBoot;
        header[6] = (byte)scope;
        header[7] = RtnUnicast;
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], onLink ? RtnhFlagOnLink : 0);
        if (destination.PrefixLength > 0)
        {
            _writer.AttributeAddress(RtaDst, destination.BaseAddress);
        }

        if (gateway is not null)
        {
            _writer.AttributeAddress(RtaGateway, gateway);
        }

        _writer.AttributeU32(RtaOif, (uint)outputIndex);
        End(start, $"ip route add {destination}" + (gateway is null ? "" : $" via {gateway}") + $" dev #{outputIndex}"
            + (onLink ? " onlink" : "") + (scope == RouteScope.Universe ? "" : $" scope {scope.ToString().ToLowerInvariant()}"));
    }

    /// <summary><c>bridge fdb append MAC dev #INDEX dst DESTINATION</c> (self, permanent): flood or forward a VXLAN's traffic to a remote VTEP.</summary>
    public void AppendFdb(int index, PhysicalAddress linkLayerAddress, IPAddress destination)
    {
        var start = _writer.BeginMessage(NewNeighbour, FlagRequest | FlagAck | FlagCreate | FlagAppend, ++_sequence);
        var header = _writer.Reserve(12);
        header[0] = AfBridge;
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], index);
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], NudNoArp | NudPermanent);
        header[10] = NtfSelf;
        _writer.Attribute(NdaLinkLayerAddress, linkLayerAddress.GetAddressBytes());
        _writer.AttributeAddress(NdaDst, destination);
        End(start, $"bridge fdb append {FormatMac(linkLayerAddress)} dev #{index} dst {destination}");
    }

    /// <summary>
    /// <c>ip neigh replace ADDRESS lladdr MAC dev #INDEX nud permanent</c>. Permanent entries are outside the neighbour
    /// table's garbage collection and do not count toward its limit (<c>gc_thresh3</c>, 1,024 by default and shared by
    /// every namespace of the machine), which a lab of a few hundred pods' resolved entries overflows.
    /// </summary>
    public void AddNeighbour(int index, IPAddress address, PhysicalAddress linkLayerAddress)
    {
        var start = _writer.BeginMessage(NewNeighbour, FlagRequest | FlagAck | FlagCreate | FlagReplace, ++_sequence);
        var header = _writer.Reserve(12);
        header[0] = FamilyOf(address);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], index);
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], NudPermanent);
        _writer.AttributeAddress(NdaDst, address);
        _writer.Attribute(NdaLinkLayerAddress, linkLayerAddress.GetAddressBytes());
        End(start, $"ip neigh replace {address} lladdr {FormatMac(linkLayerAddress)} dev #{index} nud permanent");
    }

    /// <summary>Sends every queued request, in order, in batches, and waits for each ack.</summary>
    /// <exception cref="NetlinkException">
    /// The first request the kernel refused. The kernel still carried out the requests after it in the same batch
    /// (it answers each message of a datagram); later batches are not sent.
    /// </exception>
    public void Flush()
    {
        try
        {
            var first = 0;
            while (first < _queued.Count)
            {
                var last = first;
                var end = EndOf(first);
                while (last + 1 < _queued.Count && last + 1 - first < MaxBatchMessages && EndOf(last + 1) - _queued[first].Start <= MaxBatchBytes)
                {
                    last++;
                    end = EndOf(last);
                }

                _socket.Send(_writer.Slice(_queued[first].Start, end - _queued[first].Start));
                AwaitAcks(first, last);
                first = last + 1;
            }
        }
        finally
        {
            _queued.Clear();
            _writer.Clear();
            foreach (var target in _referenced)
            {
                target.Handle.DangerousRelease();
            }

            _referenced.Clear();
        }
    }

    /// <summary><c>ip link show NAME</c>: the index of a device in this client's namespace (sent at once, not queued).</summary>
    /// <exception cref="NetlinkException">ENODEV when there is no such device.</exception>
    public int GetIndex(string name)
    {
        if (_queued.Count > 0)
        {
            throw new InvalidOperationException("Flush the queued requests before a lookup.");
        }

        var start = _writer.BeginMessage(GetLink, FlagRequest, ++_sequence);
        WriteIfInfo(0, up: false);
        _writer.AttributeString(IflaIfName, name);
        _writer.EndMessage(start);
        var request = $"ip link show {name}";
        try
        {
            _socket.Send(_writer.Written);
        }
        finally
        {
            _writer.Clear();
        }

        while (true)
        {
            var received = _socket.Receive(_receiveBuffer);
            for (var offset = 0; offset + 16 <= received;)
            {
                var message = _receiveBuffer.AsSpan(offset, (int)BinaryPrimitives.ReadUInt32LittleEndian(_receiveBuffer.AsSpan(offset)));
                offset += (message.Length + 3) & ~3;
                if (BinaryPrimitives.ReadUInt32LittleEndian(message[8..]) != _sequence)
                {
                    continue;
                }

                var type = BinaryPrimitives.ReadUInt16LittleEndian(message[4..]);
                if (type == NlmsgError)
                {
                    ThrowIfError(message, request);
                }
                else if (type == NewLink)
                {
                    return BinaryPrimitives.ReadInt32LittleEndian(message[20..]);
                }
            }
        }
    }

    public void Dispose()
    {
        foreach (var target in _referenced)
        {
            target.Handle.DangerousRelease();
        }

        _referenced.Clear();
        _socket.Dispose();
    }

    private int EndOf(int message) => message + 1 < _queued.Count ? _queued[message + 1].Start : _writer.Length;

    private void AwaitAcks(int first, int last)
    {
        var firstSequence = SequenceOf(first);
        var lastSequence = SequenceOf(last);
        var outstanding = last - first + 1;
        NetlinkException? failure = null;
        while (outstanding > 0)
        {
            var received = _socket.Receive(_receiveBuffer);
            NetlinkErrors.ForEachAnswer(_receiveBuffer.AsSpan(0, received), (messageSequence, message) =>
            {
                if (messageSequence < firstSequence || messageSequence > lastSequence)
                {
                    return;
                }

                outstanding--;
                failure ??= NetlinkErrors.Of(message, $"[{_label}] {_queued[first + (int)(messageSequence - firstSequence)].Request}");
            });
        }

        if (failure is not null)
        {
            throw failure;
        }
    }

    private uint SequenceOf(int message) =>
        BinaryPrimitives.ReadUInt32LittleEndian(_writer.Slice(_queued[message].Start + 8, 4));

    private void ThrowIfError(ReadOnlySpan<byte> message, string request)
    {
        if (NetlinkErrors.Of(message, $"[{_label}] {request}") is { } error)
        {
            throw error;
        }
    }

    private void AddressRequest(ushort type, int flags, int index, IPAddress address, int prefixLength, string verb)
    {
        var start = _writer.BeginMessage(type, (ushort)flags, ++_sequence);
        var header = _writer.Reserve(8);
        header[0] = FamilyOf(address);
        header[1] = (byte)prefixLength;
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], index);
        _writer.AttributeAddress(IfaLocal, address);
        _writer.AttributeAddress(IfaAddress, address);
        End(start, $"ip addr {verb} {address}/{prefixLength} dev #{index}");
    }

    private int BeginLink(ushort type, ushort extraFlags, int index, bool up)
    {
        var start = _writer.BeginMessage(type, (ushort)(FlagRequest | FlagAck | extraFlags), ++_sequence);
        WriteIfInfo(index, up);
        return start;
    }

    private void WriteIfInfo(int index, bool up)
    {
        var info = _writer.Reserve(16);
        info[0] = AfUnspec;
        BinaryPrimitives.WriteInt32LittleEndian(info[4..], index);
        BinaryPrimitives.WriteUInt32LittleEndian(info[8..], up ? IffUp : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(info[12..], up ? IffUp : 0);
    }

    private void WriteCommonLink(int mtu, int masterIndex)
    {
        if (mtu > 0)
        {
            _writer.AttributeU32(IflaMtu, (uint)mtu);
        }

        if (masterIndex > 0)
        {
            _writer.AttributeU32(IflaMaster, (uint)masterIndex);
        }
    }

    private void End(int start, string request)
    {
        _writer.EndMessage(start);
        _queued.Add((start, request));
    }

    private void Reference(NetworkNamespace target)
    {
        // The descriptor number goes into the message: keep it from being closed and reused before the flush.
        var added = false;
        target.Handle.DangerousAddRef(ref added);
        _referenced.Add(target);
    }

    private static byte FamilyOf(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? AfInet : (byte)10;

    private static string IndexText(int index) => index > 0 ? $" index {index}" : "";

    private static string FormatMac(PhysicalAddress address) =>
        string.Join(':', address.GetAddressBytes().Select(part => part.ToString("x2")));
}
