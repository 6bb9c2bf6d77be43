using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;
using Maille.Dataplane.Linux.Flows;
using Maille.Dataplane.Linux.Interop;

namespace Maille.Dataplane.Linux.Ebpf;

/// <summary>
/// The ebpf data plane's log of denials for <c>maille observe</c>: reads one node's <c>denials</c> ring buffer (a
/// <c>struct maille_denial</c> per first packet the tc programs denied) on a thread of its own, through libbpf's
/// <c>ring_buffer__poll</c>, and hands each to the sink as the nftables mode's log delivers one: an
/// <see cref="NflogPacket"/> whose prefix names the chain or the ClusterNetworkPolicy rule that denied it, so that the
/// flow records of both data planes are made by the same resolver. What the ring could not take (the programs count it
/// in <c>denials_lost</c>) is reported as an exact loss.
/// </summary>
public sealed class PodPolicyDenialReader : IDisposable
{
    /// <summary><c>sizeof(struct maille_denial)</c>: the flow key (16 bytes) and the slot, padded to 8.</summary>
    internal const int RecordSize = 24;

    private const int PollMilliseconds = 200;
    /// <summary>The lost-records counter is slot 0 of its array map; the key never changes (the map does not keep it).</summary>
    private static readonly byte[] LostKey = new byte[4];

    private readonly string _node;
    private readonly BpfMap _lost;
    private readonly Func<uint, bool, string> _prefix;
    private readonly IKernelFlowSink _sink;
    private readonly List<NflogPacket> _batch = [];
    private readonly Thread _thread;
    private GCHandle _self;
    private nint _ring;
    private ulong _lostReported;
    private volatile bool _stopping;

    /// <param name="node">The node, as events name it.</param>
    /// <param name="ring">The programs' <c>denials</c> ring buffer.</param>
    /// <param name="lost">The programs' <c>denials_lost</c> counter (an array of one u64).</param>
    /// <param name="prefix">The log prefix of what decided: a counter slot and whether the pod's ingress denied it.</param>
    /// <param name="sink">Where denials and losses go.</param>
    public unsafe PodPolicyDenialReader(string node, BpfMap ring, BpfMap lost, Func<uint, bool, string> prefix, IKernelFlowSink sink)
    {
        _node = node;
        _lost = lost;
        _prefix = prefix;
        _sink = sink;
        // Denials counted as lost before this reader came are nobody's loss to report.
        _lostReported = ReadLost();
        _self = GCHandle.Alloc(this);
        _ring = LibBpf.RingBufferNew(ring.Descriptor, &OnRecord, GCHandle.ToIntPtr(_self), 0);
        if (_ring == 0)
        {
            _self.Free();
            throw BpfError.FromErrno($"reading ring buffer {ring.Name} of {node}");
        }

        _thread = new Thread(Run) { IsBackground = true, Name = $"maille-denials-{node}" };
        _thread.Start();
    }

    /// <summary>One record of the ring: <c>struct maille_denial</c> (pod_policy.h), its flow key then the slot.</summary>
    internal static (NflogPacket Packet, uint Slot, bool Ingress) Parse(ReadOnlySpan<byte> record, Func<uint, bool, string> prefix)
    {
        var slot = BinaryPrimitives.ReadUInt32LittleEndian(record[16..]);
        var ingress = record[13] == 0;
        var packet = new NflogPacket(
            prefix(slot, ingress),
            record[12],
            new IPAddress(record[..4]),
            BinaryPrimitives.ReadUInt16BigEndian(record[8..]),
            new IPAddress(record[4..8]),
            BinaryPrimitives.ReadUInt16BigEndian(record[10..]),
            null);
        return (packet, slot, ingress);
    }

    [UnmanagedCallersOnly]
    private static unsafe int OnRecord(nint context, nint data, nuint size)
    {
        if (GCHandle.FromIntPtr(context).Target is PodPolicyDenialReader reader && (int)size >= RecordSize)
        {
            reader._batch.Add(Parse(new ReadOnlySpan<byte>((void*)data, RecordSize), reader._prefix).Packet);
        }

        return 0;
    }

    private void Run()
    {
        try
        {
            while (!_stopping)
            {
                var polled = LibBpf.RingBufferPoll(_ring, PollMilliseconds);
                if (polled < 0 && polled != -4)
                {
                    throw BpfError.FromCode($"polling the denials of {_node}", polled);
                }

                if (_batch.Count > 0)
                {
                    _sink.Denials(_node, [.. _batch]);
                    _batch.Clear();
                }

                var lost = ReadLost();
                if (lost > _lostReported)
                {
                    _sink.Lost(_node, KernelFlowSource.Ringbuf, (long)(lost - _lostReported), exact: true);
                    _lostReported = lost;
                }
            }
        }
        catch (Exception error) when (!_stopping)
        {
            _sink.Failed(_node, error);
        }
    }

    private ulong ReadLost() => _lost.Lookup(LostKey, sizeof(ulong)) is { } value ? BinaryPrimitives.ReadUInt64LittleEndian(value) : 0;

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(5));
        LibBpf.RingBufferFree(_ring);
        _ring = 0;
        _self.Free();
    }
}
