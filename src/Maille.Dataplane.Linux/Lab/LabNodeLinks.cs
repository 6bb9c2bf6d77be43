using System.Diagnostics;
using Maille.Dataplane.Linux.Netlink;
using Maille.Dataplane.Linux.Netns;

namespace Maille.Dataplane.Linux.Lab;

/// <summary>Takes a node off the lab's node network (its underlay port down: a node failure) and puts it back.</summary>
public static class LabNodeLinks
{
    public static void Set(string lab, string node, bool up)
    {
        using (var underlay = NetworkNamespace.Open(LabNames.Underlay(lab)))
        using (var netlink = RtNetlink.OpenIn(underlay))
        {
            netlink.SetLinkState(netlink.GetIndex(LabNames.NodeUnderlayInterface(node)), up);
            netlink.Flush();
        }

        if (up)
        {
            ForgetNeighbours(lab);
        }
    }

    /// <summary>
    /// While a node was away its neighbours marked its address unreachable (ARP failed) and would answer "no route to
    /// host" for a while; a returning host announces itself, here by clearing the neighbour caches of every node
    /// (entries still being resolved when it left fail later, so failed ones alone are not enough).
    /// </summary>
    private static void ForgetNeighbours(string lab)
    {
        foreach (var ns in NetworkNamespace.List(LabNames.Prefix(lab)).Where(n => n.StartsWith(LabNames.Prefix(lab) + "node-", StringComparison.Ordinal) || n == LabNames.External(lab)))
        {
            var start = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardError = true };
            foreach (var argument in new[] { "-n", ns, "neigh", "flush", "all" })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            process.StandardError.ReadToEnd();
            process.WaitForExit();
        }
    }
}
