using Maille.Dataplane.Linux.Interop;
using Maille.Dataplane.Linux.Netlink;

namespace Maille.Dataplane.Linux.Nftables;

/// <summary>
/// Wakes a thread when anyone commits to the nftables ruleset of the network namespace it was opened in: a
/// NETLINK_NETFILTER socket in the <c>NFNLGRP_NFTABLES</c> multicast group, to which the kernel sends a message for each
/// object a transaction adds or deletes and one for the new generation (what <c>nft monitor</c> reads). A node agent
/// sleeps in <see cref="WaitForChange"/> until then, instead of asking for the generation on a timer: idle, it uses no
/// CPU. The announcements name their tables, so a commit that touched none of the agent's is told apart without
/// dumping its rules, and an element edited by hand in one of its sets is seen, which the rules' fingerprint is not.
/// </summary>
/// <remarks>
/// The kernel builds those messages only while some socket is in the group, and a full sync of 10,000 Services commits
/// hundreds of thousands of objects: a writer leaves the group while it commits (<see cref="Pause"/>), rejoins after
/// (<see cref="Resume"/>) and judges what happened meanwhile by the generation, as before. While it is out of the group
/// nothing it commits is announced to it, so every announcement it reads is someone else's commit. Messages the receive
/// buffer cannot take are dropped by the kernel and the wait says so (<see cref="NftChanges.Complete"/>).
/// </remarks>
public sealed class NftChangeMonitor : IDisposable
{
    /// <summary>NFNLGRP_NFTABLES.</summary>
    private const uint NftablesGroup = 7;

    private const int SubsystemNftables = 10;
    private const int NewGeneration = 15;
    private const ushort TableAttribute = 1;
    private const int ReceiveBufferBytes = 256 << 10;
    private readonly NetlinkSocket _socket;
    private readonly WakeablePoll _poll = new();
    private readonly byte[] _buffer = new byte[64 << 10];
    private volatile bool _stopped;

    private NftChangeMonitor(NetlinkSocket socket) => _socket = socket;

    /// <summary>Starts listening in the calling thread's network namespace (CAP_NET_ADMIN there).</summary>
    /// <exception cref="IOException">The kernel refused the socket or the group.</exception>
    public static NftChangeMonitor Open()
    {
        var socket = NetlinkSocket.OpenListener(0, ReceiveBufferBytes);
        try
        {
            socket.SetMembership(NftablesGroup, member: true);
            return new NftChangeMonitor(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Leaves the group: the kernel stops building messages for commits until <see cref="Resume"/>.</summary>
    public void Pause() => _socket.SetMembership(NftablesGroup, member: false);

    /// <summary>Joins the group again.</summary>
    public void Resume() => _socket.SetMembership(NftablesGroup, member: true);

    /// <summary>
    /// Blocks until a commit was announced, then reads every announcement waiting and says which tables they touched;
    /// null when <paramref name="timeoutMilliseconds"/> passed (-1 waits without a limit) or <see cref="Stop"/> was called.
    /// </summary>
    public NftChanges? WaitForChange(int timeoutMilliseconds = -1) =>
        !_stopped && _poll.Wait(_socket.Descriptor, timeoutMilliseconds, "nftables monitor") == WakeablePoll.Outcome.Readable && !_stopped
            ? Drain()
            : null;

    /// <summary>Reads every datagram waiting; ENOBUFS (-1) says announcements were dropped.</summary>
    private NftChanges Drain()
    {
        var tables = new HashSet<(string Family, string Table)>();
        var complete = true;
        while (_socket.ReceiveEvents(_buffer) is var received && received != 0)
        {
            if (received < 0)
            {
                complete = false;
                continue;
            }

            NetlinkAttributes.ForEachMessage(_buffer.AsSpan(0, received), (type, payload) =>
            {
                // Every nf_tables message but the generation's names its table in attribute 1 (NFTA_*_TABLE), after
                // struct nfgenmsg, whose first byte is the family.
                if (type >> 8 == SubsystemNftables && (type & 0xff) != NewGeneration && payload.Length >= 4
                    && NetlinkAttributes.TryFind(payload[4..], TableAttribute, out var name))
                {
                    tables.Add((NftFamilies.Name(payload[0]), System.Text.Encoding.UTF8.GetString(name.TrimEnd((byte)0))));
                }
            });
        }

        return new NftChanges(tables, complete);
    }

    /// <summary>Makes <see cref="WaitForChange"/> return null, now and from now on.</summary>
    public void Stop()
    {
        _stopped = true;
        _poll.Wake();
    }

    public void Dispose()
    {
        _socket.Dispose();
        _poll.Dispose();
    }
}
