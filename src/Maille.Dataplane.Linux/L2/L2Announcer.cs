using System.Net;
using Maille.Dataplane.Linux.Netlink;
using Maille.Dataplane.Linux.Netns;

namespace Maille.Dataplane.Linux.L2;

/// <summary>
/// Makes a node answer ARP for a LoadBalancer address, or stop, the way kube-vip does it: the address goes on the
/// node's interface as a /32, so the node's own kernel answers ARP for it (and delivers its packets locally, where the
/// Services data plane takes them); on taking an address over, the node broadcasts gratuitous ARP so that neighbours
/// whose cache still points at the previous owner switch at once instead of after their entry goes stale.
/// </summary>
/// <remarks>
/// The /32 has no subnet route and is added after the node's own address, so the node keeps using its own address as
/// the source of what it sends. Both calls are idempotent: announcing an address already there only repeats the
/// gratuitous ARP, withdrawing one that is gone does nothing.
/// </remarks>
public static class L2Announcer
{
    private const int ErrnoExists = 17;
    private const int ErrnoAddressNotAvailable = 99;

    /// <summary>Puts <paramref name="address"/>/32 on <paramref name="interfaceName"/> and sends gratuitous ARP for it.</summary>
    /// <returns>True when the address was added, false when it was already there.</returns>
    public static bool Announce(NetworkNamespace node, string interfaceName, IPAddress address)
    {
        bool added;
        using (var netlink = RtNetlink.OpenIn(node))
        {
            netlink.AddAddress(netlink.GetIndex(interfaceName), address, 32);
            try
            {
                netlink.Flush();
                added = true;
            }
            catch (NetlinkException exception) when (exception.Errno == ErrnoExists)
            {
                added = false;
            }
        }

        SendGratuitousArp(node, interfaceName, address);
        return added;
    }

    /// <summary>Removes <paramref name="address"/>/32 from <paramref name="interfaceName"/>; false when it was not there.</summary>
    public static bool Withdraw(NetworkNamespace node, string interfaceName, IPAddress address)
    {
        using var netlink = RtNetlink.OpenIn(node);
        netlink.RemoveAddress(netlink.GetIndex(interfaceName), address, 32);
        try
        {
            netlink.Flush();
            return true;
        }
        catch (NetlinkException exception) when (exception.Errno == ErrnoAddressNotAvailable)
        {
            return false;
        }
    }

    /// <summary>One ARP announcement as a request and one as a reply: some stacks heed only one of the two forms.</summary>
    public static void SendGratuitousArp(NetworkNamespace node, string interfaceName, IPAddress address)
    {
        using var socket = PacketSocket.Open(node, interfaceName);
        socket.Send(ArpFrame.Gratuitous(socket.HardwareAddress, address, ArpFrame.OperationRequest));
        socket.Send(ArpFrame.Gratuitous(socket.HardwareAddress, address, ArpFrame.OperationReply));
    }
}
