using Maille.Dataplane.Linux.Netlink;
using Maille.Dataplane.Linux.Netns;

namespace Maille.Dataplane.Linux.Flows;

/// <summary>
/// Reads one node's flows from its kernel: conntrack's new connections (the multicast group
/// <c>NFNLGRP_CONNTRACK_NEW</c>) and the packets its policy table logs to an nfnetlink_log group. Both sockets are
/// opened inside the node's namespace (a netlink socket belongs to the namespace it was made in, and hears only it),
/// then read by one thread of this process that waits on both with <c>poll</c>. Only one socket of a namespace may
/// bind a log group: a second reader of the same node fails with EBUSY.
/// </summary>
public sealed class KernelFlowReader : IDisposable
{
    private const int PollMilliseconds = 200;
    private readonly string _node;
    private readonly IKernelFlowSink _sink;
    private readonly NetlinkSocket _conntrack;
    private readonly NetlinkSocket _nflog;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private uint? _lastSequence;

    /// <param name="node">The node's namespace.</param>
    /// <param name="nodeName">The node, as events name it.</param>
    /// <param name="logGroup">The nfnetlink_log group the node's policy table logs denials to.</param>
    /// <param name="sink">Where events go.</param>
    /// <param name="receiveBufferBytes">Each socket's receive buffer: what the kernel can hold while this reader is behind.</param>
    public KernelFlowReader(NetworkNamespace node, string nodeName, ushort logGroup, IKernelFlowSink sink, int receiveBufferBytes = 8 << 20)
    {
        _node = nodeName;
        _sink = sink;
        (_conntrack, _nflog) = node.RunBriefly(() =>
        {
            var conntrack = NetlinkSocket.OpenListener(ConntrackEvents.NewGroupMask, receiveBufferBytes);
            try
            {
                return (conntrack, NetlinkSocket.OpenListener(0, receiveBufferBytes));
            }
            catch
            {
                conntrack.Dispose();
                throw;
            }
        });
        try
        {
            Bind(logGroup);
        }
        catch
        {
            _conntrack.Dispose();
            _nflog.Dispose();
            throw;
        }

        _thread = new Thread(Run) { IsBackground = true, Name = $"maille-flows-{nodeName}" };
        _thread.Start();
    }

    /// <summary>Binds the log socket to its group; the kernel refuses a group another socket has (EBUSY).</summary>
    private void Bind(ushort group)
    {
        _nflog.Send(NflogMessages.Bind(group));
        var buffer = new byte[8192];
        while (true)
        {
            var received = _nflog.Receive(buffer);
            NetlinkException? failure = null;
            var acked = false;
            NetlinkErrors.ForEachAnswer(buffer.AsSpan(0, received), (_, message) =>
            {
                acked = true;
                failure = NetlinkErrors.Of(message, $"bind nfnetlink_log group {group}");
            });
            if (failure is not null)
            {
                throw failure;
            }

            if (acked)
            {
                return;
            }
        }
    }

    private void Run()
    {
        var buffer = new byte[256 * 1024];
        NetlinkSocket[] sockets = [_conntrack, _nflog];
        try
        {
            while (!_stopping)
            {
                var readable = NetlinkSocket.Wait(sockets, PollMilliseconds);
                if (readable[0])
                {
                    Drain(_conntrack, buffer, KernelFlowSource.Conntrack);
                }

                if (readable[1])
                {
                    Drain(_nflog, buffer, KernelFlowSource.Nflog);
                }
            }
        }
        catch (Exception error) when (!_stopping)
        {
            _sink.Failed(_node, error);
        }
    }

    /// <summary>Reads every datagram waiting on <paramref name="socket"/>, up to a bound so the other socket gets its turn.</summary>
    private void Drain(NetlinkSocket socket, byte[] buffer, KernelFlowSource source)
    {
        for (var i = 0; i < 256 && !_stopping; i++)
        {
            var received = socket.ReceiveEvents(buffer);
            if (received == 0)
            {
                return;
            }

            if (received < 0)
            {
                // Conntrack does not say how many; nfnetlink_log's sequence numbers will, exactly, at the next packet.
                if (source == KernelFlowSource.Conntrack)
                {
                    _sink.Lost(_node, source, 1, exact: false);
                }

                continue;
            }

            var datagram = buffer.AsSpan(0, received);
            if (source == KernelFlowSource.Conntrack)
            {
                if (ConntrackEvents.Parse(datagram) is { Count: > 0 } events)
                {
                    _sink.Connections(_node, events);
                }
            }
            else if (NflogMessages.Parse(datagram) is { Count: > 0 } packets)
            {
                CountGaps(packets);
                _sink.Denials(_node, packets);
            }
        }
    }

    /// <summary>nfnetlink_log numbers the packets of a group; a gap is packets it could not deliver, exactly counted.</summary>
    private void CountGaps(IReadOnlyList<NflogPacket> packets)
    {
        foreach (var packet in packets)
        {
            if (packet.Sequence is not { } sequence)
            {
                continue;
            }

            if (_lastSequence is { } last && sequence > last + 1)
            {
                _sink.Lost(_node, KernelFlowSource.Nflog, sequence - last - 1, exact: true);
            }

            _lastSequence = sequence;
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(5));
        _conntrack.Dispose();
        _nflog.Dispose();
    }
}
