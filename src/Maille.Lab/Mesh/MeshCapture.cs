using System.Diagnostics;
using System.Globalization;
using System.Net;
using Maille.Dataplane.Linux.Netns;
using Maille.Dataplane.Linux.Nftables;

namespace Maille.Lab.Mesh;

/// <summary>
/// What redirects a meshed pod's TCP to its node proxy, all inside the pod's own network namespace (Istio's in-pod
/// mode; nothing in the node's or the host's): an nftables table <see cref="Table"/>, a policy-routing rule and a
/// routing table <see cref="MeshPorts.ReplyTable"/>.
/// <list type="bullet">
/// <item>outbound: TCP the pod opens (not to itself, not loopback, not the proxy's own marked sockets) is redirected to
/// 127.0.0.1:<see cref="MeshPorts.Outbound"/>;</item>
/// <item>inbound: TCP to the pod's address on any port but 15008 is redirected to <see cref="MeshPorts.InboundPlaintext"/>,
/// except from the pod's own node (its readiness probes: Istio exempts the kubelet's probes the same way);</item>
/// <item>replies: connections the proxy opens to the pod from the source's address carry
/// <see cref="MeshPorts.TransparentMark"/> on their conntrack entry; the pod's replies get the mark back and are
/// routed by <c>fwmark</c> to table 133, whose only route is <c>local 0.0.0.0/0 dev lo</c>: they reach the proxy's
/// transparent socket instead of leaving the pod.</item>
/// </list>
/// </summary>
internal static class MeshCapture
{
    public const string Table = "maille_mesh";

    /// <summary>
    /// The nftables table for a pod at <paramref name="pod"/> on the node at <paramref name="node"/>, replacing any
    /// earlier one in one transaction.
    /// </summary>
    public static string Ruleset(IPAddress pod, IPAddress node)
    {
        var bypass = Hex(MeshPorts.BypassMark);
        var transparent = Hex(MeshPorts.TransparentMark);
        return string.Create(CultureInfo.InvariantCulture, $$"""
            table ip {{Table}}
            delete table ip {{Table}}
            table ip {{Table}} {
              chain prerouting {
                type nat hook prerouting priority dstnat; policy accept;
                ip saddr {{node}} return
                ip daddr {{pod}} tcp dport != {{MeshPorts.Hbone}} redirect to :{{MeshPorts.InboundPlaintext}}
              }
              chain output {
                type nat hook output priority -100; policy accept;
                meta mark {{bypass}} return
                meta mark {{transparent}} return
                ip daddr 127.0.0.0/8 return
                ip daddr {{pod}} return
                meta l4proto tcp redirect to :{{MeshPorts.Outbound}}
              }
              chain marks {
                type route hook output priority mangle; policy accept;
                meta mark {{transparent}} ct mark set {{transparent}}
                ct mark {{transparent}} meta mark set {{transparent}}
              }
            }

            """);
    }

    /// <summary>The <c>ip</c> commands (arguments after <c>ip -n NAMESPACE</c>) that route marked replies to the local stack.</summary>
    public static IReadOnlyList<string[]> ReplyRouting()
    {
        var table = MeshPorts.ReplyTable.ToString(CultureInfo.InvariantCulture);
        return
        [
            ["-4", "rule", "add", "fwmark", Hex(MeshPorts.TransparentMark), "lookup", table],
            ["-4", "route", "replace", "local", "0.0.0.0/0", "dev", "lo", "table", table],
        ];
    }

    /// <summary>Installs the capture in <paramref name="pod"/>'s namespace (whose address is <paramref name="address"/>).</summary>
    /// <exception cref="InvalidOperationException">nft or ip refused; the message says what and why.</exception>
    public static void Install(NetworkNamespace pod, IPAddress address, IPAddress node)
    {
        var result = pod.RunInside(() =>
        {
            using var nft = NftContext.Create();
            return nft.Run(Ruleset(address, node));
        });
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"{pod.Name}: the mesh capture rules were refused: {result.Error.Trim()}");
        }

        foreach (var arguments in ReplyRouting())
        {
            Ip(pod.Name, arguments);
        }
    }

    /// <summary>
    /// Takes the capture out of a pod that stays but leaves the mesh (a label changed): its table, rule and route.
    /// A namespace already gone has nothing left to remove.
    /// </summary>
    public static void Uninstall(NetworkNamespace pod)
    {
        if (!NetworkNamespace.Exists(pod.Name))
        {
            return;
        }

        pod.RunInside(() =>
        {
            using var nft = NftContext.Create();
            nft.Run($"table ip {Table}\ndelete table ip {Table}\n");
        });
        var table = MeshPorts.ReplyTable.ToString(CultureInfo.InvariantCulture);
        Ip(pod.Name, ["-4", "rule", "del", "fwmark", Hex(MeshPorts.TransparentMark), "lookup", table], tolerate: "No such file");
        Ip(pod.Name, ["-4", "route", "flush", "table", table], tolerate: "No such file");
    }

    private static void Ip(string ns, string[] arguments, string tolerate = "File exists")
    {
        var start = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardError = true };
        start.ArgumentList.Add("-n");
        start.ArgumentList.Add(ns);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();

        // A rule already there (the proxy restarted on a pod that kept its namespace) is what we wanted; one already
        // gone is what removing wanted.
        if (process.ExitCode != 0 && !error.Contains(tolerate, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{ns}: ip {string.Join(' ', arguments)}: {error.Trim()}");
        }
    }

    private static string Hex(uint mark) => "0x" + mark.ToString("x", CultureInfo.InvariantCulture);
}
