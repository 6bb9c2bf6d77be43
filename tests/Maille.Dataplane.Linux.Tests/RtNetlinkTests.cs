using System.Net;
using System.Net.NetworkInformation;
using Maille.Dataplane.Linux.Interop;
using Maille.Dataplane.Linux.Netlink;
using Maille.Dataplane.Linux.Netns;

using Maille.TestKit;

namespace Maille.Dataplane.Linux.Tests;

// IP plan: 198.18.5.0/24 on a veth between namespaces a (.1) and b (.2); 198.18.6.0/24 on vxlan0 over it.
public sealed class RtNetlinkTests
{
    [SkippableFact]
    public void A_veth_peer_is_created_in_the_other_namespace_and_named_there()
    {
        Privileged.Require();
        var lab = TestNames.NewLab();
        try
        {
            var namespaces = NetworkNamespace.CreateMany([$"maille-{lab}-a", $"maille-{lab}-b"]);
            using var a = namespaces[0];
            using var b = namespaces[1];
            using (var netlink = RtNetlink.OpenIn(a))
            {
                netlink.CreateVeth("va", "eth0", b, index: 7, peerIndex: 9, up: true);
                netlink.Flush();
                Assert.Equal(7, netlink.GetIndex("va"));
                var missing = Assert.Throws<NetlinkException>(() => netlink.GetIndex("eth0"));
                Assert.Equal(19, missing.Errno);
            }

            using (var netlink = RtNetlink.OpenIn(b))
            {
                Assert.Equal(9, netlink.GetIndex("eth0"));
            }

            Assert.Equal(9u, b.RunInside(() => Libc.IfNameToIndex("eth0")));
            Assert.Equal(0u, a.RunInside(() => Libc.IfNameToIndex("eth0")));
        }
        finally
        {
            DeleteLab(lab);
        }
    }

    [SkippableFact]
    public void A_refused_request_reports_the_errno_the_kernel_message_and_the_request()
    {
        Privileged.Require();
        var lab = TestNames.NewLab();
        try
        {
            using var a = NetworkNamespace.Create($"maille-{lab}-a");
            using var netlink = RtNetlink.OpenIn(a);
            netlink.AddAddress(1, IPAddress.Parse("198.18.5.1"), 24);
            netlink.AddAddress(1, IPAddress.Parse("198.18.5.1"), 24);
            netlink.SetLink(1, up: true);
            var refused = Assert.Throws<NetlinkException>(netlink.Flush);
            Assert.Equal(17, refused.Errno);
            Assert.Equal($"[maille-{lab}-a] ip addr add 198.18.5.1/24 dev #1", refused.Request);
            Assert.Contains("errno 17", refused.Message, StringComparison.Ordinal);

            netlink.AddRoute(IPNetwork.Parse("198.18.7.0/24"), 1, IPAddress.Parse("198.18.9.9"));
            var unreachable = Assert.Throws<NetlinkException>(netlink.Flush);
            Assert.Contains("via 198.18.9.9", unreachable.Request, StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(unreachable.KernelMessage));
        }
        finally
        {
            DeleteLab(lab);
        }
    }

    [SkippableFact]
    public void Bridge_master_mtu_address_and_routes_are_applied_as_ip_would()
    {
        Privileged.Require();
        var lab = TestNames.NewLab();
        var name = $"maille-{lab}-a";
        try
        {
            using var a = NetworkNamespace.Create(name);
            using (var netlink = RtNetlink.OpenIn(a))
            {
                netlink.CreateBridge("br0", index: 2, up: true);
                netlink.CreateVeth("v1", "p1", null, index: 3, peerIndex: 4, masterIndex: 2, up: true);
                netlink.SetLink(4, up: true, mtu: 1400);
                netlink.AddAddress(2, IPAddress.Parse("198.18.5.1"), 24);
                netlink.AddAddress(4, IPAddress.Parse("198.18.8.1"), 32);
                netlink.AddRoute(IPNetwork.Parse("198.18.9.0/24"), 2, IPAddress.Parse("198.18.5.7"));
                netlink.AddRoute(IPNetwork.Parse("198.18.10.0/24"), 4, IPAddress.Parse("169.254.1.1"), onLink: true);
                netlink.AddRoute(IPNetwork.Parse("198.18.11.5/32"), 4, scope: RouteScope.Link);
                netlink.Flush();
            }

            var links = HostNetworkSnapshot.Run("-n", name, "-j", "link");
            Assert.Contains("\"ifname\":\"v1\"", links, StringComparison.Ordinal);
            Assert.Contains("\"master\":\"br0\"", links, StringComparison.Ordinal);
            Assert.Contains("\"mtu\":1400", links, StringComparison.Ordinal);
            var routes = HostNetworkSnapshot.Run("-n", name, "route");
            Assert.Contains("198.18.9.0/24 via 198.18.5.7 dev br0", routes, StringComparison.Ordinal);
            Assert.Contains("198.18.10.0/24 via 169.254.1.1 dev p1 onlink", routes, StringComparison.Ordinal);
            Assert.Contains("198.18.11.5 dev p1 scope link", routes, StringComparison.Ordinal);
            Assert.Contains("198.18.8.1/32", HostNetworkSnapshot.Run("-n", name, "addr", "show", "p1"), StringComparison.Ordinal);
        }
        finally
        {
            DeleteLab(lab);
        }
    }

    [SkippableFact]
    public async Task Tcp_crosses_a_vxlan_between_two_namespaces_with_static_fdb_entries()
    {
        Privileged.Require();
        var lab = TestNames.NewLab();
        try
        {
            var namespaces = NetworkNamespace.CreateMany([$"maille-{lab}-a", $"maille-{lab}-b"]);
            using var a = namespaces[0];
            using var b = namespaces[1];
            using (var netlink = RtNetlink.OpenIn(a))
            {
                netlink.SetLink(1, up: true);
                netlink.CreateVeth("eth0", "eth0", b, index: 2, peerIndex: 2, up: true);
                netlink.Flush();
            }

            Configure(a, "198.18.5.1", "198.18.5.2", "198.18.6.1");
            Configure(b, "198.18.5.2", "198.18.5.1", "198.18.6.2");

            var seen = await SocketProbe.TcpAsync(a, b, IPAddress.Parse("198.18.6.2"));
            Assert.Equal(IPAddress.Parse("198.18.6.1"), seen.Address);
            Assert.Contains("vxlan id 42", HostNetworkSnapshot.Run("-n", a.Name, "-d", "link", "show", "vxlan0"), StringComparison.Ordinal);
        }
        finally
        {
            DeleteLab(lab);
        }

        static void Configure(NetworkNamespace target, string underlay, string remote, string overlay)
        {
            using var netlink = RtNetlink.OpenIn(target);
            netlink.SetLink(1, up: true);
            netlink.SetLink(2, up: true);
            netlink.AddAddress(2, IPAddress.Parse(underlay), 24);
            netlink.CreateVxlan("vxlan0", 42, IPAddress.Parse(underlay), 4789, linkIndex: 2, index: 3, up: true);
            netlink.AppendFdb(3, PhysicalAddress.Parse("00-00-00-00-00-00"), IPAddress.Parse(remote));
            netlink.AddAddress(3, IPAddress.Parse(overlay), 24);
            netlink.Flush();
        }
    }

    private static void DeleteLab(string lab)
    {
        foreach (var name in NetworkNamespace.List($"maille-{lab}-"))
        {
            NetworkNamespace.Delete(name);
        }
    }
}
