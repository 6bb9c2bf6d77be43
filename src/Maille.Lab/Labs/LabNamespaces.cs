using System.Net;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Lab.Probing;

namespace Maille.Lab.Labs;

/// <summary>
/// A lab's network namespaces as the CLI knows them: by the names the lab gives them (<c>maille exec</c>, <c>node</c>,
/// <c>ls</c>, the demo). The CLI reaches the kernel only through this and the lab's API; the namespaces themselves,
/// netlink and nftables stay in <c>Maille.Dataplane.Linux</c>, behind <c>Maille.Lab</c>.
/// </summary>
public static class LabNamespaces
{
    public static string LabNameRule => LabNames.LabNameRule;

    public static bool IsValidLab(string lab) => LabNames.IsValidLab(lab);

    public static string External(string lab) => LabNames.External(lab);

    public static string Node(string lab, string node) => LabNames.Node(lab, node);

    /// <param name="pod">NAMESPACE/NAME.</param>
    public static string Pod(string lab, string pod) => LabNames.Pod(lab, pod);

    public static bool Exists(string name) => NetworkNamespace.Exists(name);

    /// <summary>How many namespaces the lab has on this machine (after a crash, some may outlive its state folder).</summary>
    public static int Count(string lab) => LabNetworkBuilder.Namespaces(lab).Count;

    /// <summary>The labs that have namespaces on this machine.</summary>
    public static IEnumerable<string> Labs() => NetworkNamespace.List(NetworkNamespace.NamePrefix).Select(LabNames.LabOf).OfType<string>();

    /// <summary>The status line and body of <c>GET path</c>, sent from inside the namespace <paramref name="from"/>.</summary>
    public static (string Status, string Body) HttpGet(string from, IPAddress to, int port, string path, TimeSpan timeout)
    {
        using var ns = NetworkNamespace.Open(from);
        return LabHttp.Get(ns, to, port, path, timeout);
    }

    /// <summary>
    /// Takes descriptor numbers below 1,024 for libnftables' sockets while the daemon's numbers are still small
    /// (<c>LowDescriptors</c>): called first thing in the daemon's process.
    /// </summary>
    public static void ReserveLowDescriptors() => Dataplane.Linux.Nftables.LowDescriptors.Reserve();

    /// <summary>Whether libnftables (Debian's nftables), which the lab's Service proxy and policy enforcer load, can be loaded here.</summary>
    public static bool CanLoadNftables => Dataplane.Linux.Nftables.NftContext.IsAvailable;

    /// <summary>
    /// Makes the process <paramref name="pid"/> a member of the lab's cgroup when the lab has one (the ebpf data plane:
    /// its socket hooks act on the cgroup's members only); false when it has none.
    /// </summary>
    public static bool JoinLabCgroup(string lab, int pid)
    {
        if (Dataplane.Linux.Ebpf.LabCgroup.TryFor(lab) is not { Exists: true } cgroup)
        {
            return false;
        }

        cgroup.Join(pid);
        return true;
    }
}
