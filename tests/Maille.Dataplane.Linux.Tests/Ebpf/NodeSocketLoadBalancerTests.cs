using System.Net;
using System.Net.Sockets;
using System.Text;
using Maille.Dataplane.Linux.Ebpf;
using Maille.Dataplane.Linux.Netlink;
using Maille.Dataplane.Linux.Netns;
using Maille.Engine;
using Maille.Engine.ServiceProxy;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Dataplane.Linux.Tests.Ebpf;

// The socket load balancer alone, in one scratch namespace (maille-tXXXXXX-pod) that plays node-1 and its pod, with
// the Services of SocketLbCase: their endpoints are addresses of the namespace's loopback (198.19.x.y from the plan), each served by a TCP
// listener and a UDP socket that answer with their own address. The programs are attached to a cgroup made for the
// test (maille-tXXXXXX under the cgroup v2 root); the test process joins it to open its client sockets and leaves it
// when the cgroup is removed. No interface, no packet leaves the namespace.
public sealed class NodeSocketLoadBalancerTests
{

    [SkippableFact]
    public async Task A_connect_to_a_ClusterIP_reaches_an_endpoint_and_the_socket_still_sees_the_ClusterIP()
    {
        Privileged.Require();
        await WithBalancer(async (balancer, pod, cluster) =>
        {
            var web = Port(cluster, "web", 80);
            var reached = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < 40 && reached.Count < 2; i++)
            {
                var (answer, peer) = await ConnectAsync(pod, web.ClusterIP, 80);
                Assert.Equal(new IPEndPoint(web.ClusterIP, 80), peer);
                reached.Add(answer);
            }

            Assert.Equal(web.ClusterEndpoints.Select(e => e.ToString()).Order(StringComparer.Ordinal), reached.Order(StringComparer.Ordinal));
        });
    }

    [SkippableFact]
    public async Task Unconnected_udp_to_a_ClusterIP_is_answered_from_the_ClusterIP()
    {
        Privileged.Require();
        await WithBalancer(async (balancer, pod, cluster) =>
        {
            var dns = Port(cluster, "web", 53);
            using var client = pod.CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            client.Bind(new IPEndPoint(IPAddress.Any, 0));
            await client.SendToAsync(Encoding.ASCII.GetBytes("who"), new IPEndPoint(dns.ClusterIP, 53));
            var buffer = new byte[256];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var received = await client.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
            var answer = Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes);

            Assert.Equal(new IPEndPoint(dns.ClusterIP, 53), received.RemoteEndPoint);
            Assert.Contains(answer, dns.ClusterEndpoints.Select(e => e.ToString()));
        });
    }

    [SkippableFact]
    public async Task A_Service_without_endpoints_refuses_a_full_sync_changes_nothing_and_one_scaled_down_refuses_after_the_next_sync()
    {
        Privileged.Require();
        await WithBalancer(async (balancer, pod, cluster) =>
        {
            var nobody = Port(cluster, "nobody", 80);
            var refused = await Assert.ThrowsAsync<SocketException>(() => ConnectAsync(pod, nobody.ClusterIP, 80));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);

            // A full sync (drift repair) writes every entry again in place: the maps hold what they held, and connects go on.
            var web = Port(cluster, "web", 80);
            var counts = balancer.MapCounts();
            var repair = balancer.Sync(cluster, full: true);
            Assert.True(repair.Full);
            Assert.Null(repair.Error);
            Assert.Equal(counts, balancer.MapCounts());
            Assert.Equal(new IPEndPoint(web.ClusterIP, 80), (await ConnectAsync(pod, web.ClusterIP, 80)).Peer);

            var scaledDown = SocketLbCase.WebScaledDown;
            var sync = balancer.Sync(scaledDown);
            Assert.Null(sync.Error);
            Assert.False(sync.Full);
            var afterwards = await Assert.ThrowsAsync<SocketException>(() => ConnectAsync(pod, web.ClusterIP, 80));
            Assert.Equal(SocketError.ConnectionRefused, afterwards.SocketErrorCode);
            Assert.Equal(0, balancer.MapCounts()["backends"]);
        });
    }

    [SkippableFact]
    public async Task Session_affinity_keeps_a_client_on_one_endpoint_and_a_Local_policy_on_this_nodes()
    {
        Privileged.Require();
        await WithBalancer(async (balancer, pod, cluster) =>
        {
            var sticky = Port(cluster, "sticky", 81);
            var answers = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < 12; i++)
            {
                answers.Add((await ConnectAsync(pod, sticky.ClusterIP, 81)).Answer);
            }

            Assert.Single(answers);
            Assert.Equal(1, balancer.MapCounts()["affinity"]);

            var local = Port(cluster, "local", 82);
            var own = Assert.Single(local.InternalEndpoints);
            for (var i = 0; i < 6; i++)
            {
                Assert.Equal(own.ToString(), (await ConnectAsync(pod, local.ClusterIP, 82)).Answer);
            }
        });
    }

    [SkippableFact]
    public async Task Pinned_hooks_and_maps_outlive_their_object_and_the_next_load_takes_them_over_in_place()
    {
        // What a maille agent process of an ebpf lab does (--agents process): its maps and cgroup links pinned in a bpffs
        // (one mounted for the test on a folder of its own), so that its end leaves the hooks running.
        Privileged.Require();
        await WithBalancer(async (balancer, pod, cluster, reload) =>
        {
            var web = Port(cluster, "web", 80);
            var pins = Path.GetDirectoryName(balancer.PinnedLink("maille_connect4"))!;
            var link = Interop.Libc.InodeOf(balancer.PinnedLink("maille_connect4")!);

            // The object goes, as with a killed process: the pinned links keep its programs on the cgroup, the pinned maps
            // their entries, so a connect is still translated.
            balancer.Dispose();
            Assert.Equal(new IPEndPoint(web.ClusterIP, 80), (await ConnectAsync(pod, web.ClusterIP, 80)).Peer);

            // The next load finds the maps with those entries and swaps its own programs into the same links: translated
            // before it syncs anything, and the link is the pinned one (not a second one beside it).
            using var next = reload();
            Assert.Equal(new IPEndPoint(web.ClusterIP, 80), (await ConnectAsync(pod, web.ClusterIP, 80)).Peer);
            Assert.Equal(link, Interop.Libc.InodeOf(next.PinnedLink("maille_connect4")!));
            Assert.Equal(pins, Path.GetDirectoryName(next.PinnedLink("maille_connect4")));

            // Its first sync is full and, the maps not being new, deletes what its plan does not hold: web scaled down to
            // nothing leaves no slot behind, and web refuses.
            var sync = next.Sync(SocketLbCase.WebScaledDown);
            Assert.True(sync.Full);
            Assert.Null(sync.Error);
            Assert.Equal(0, next.MapCounts()["backends"]);
            var refused = await Assert.ThrowsAsync<SocketException>(() => ConnectAsync(pod, web.ClusterIP, 80));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }, pinned: true);
    }

    [SkippableFact]
    public void A_full_sync_large_enough_to_write_slots_and_members_from_two_threads_leaves_every_entry_and_a_resync_keeps_them()
    {
        // 1,000 Services × 5 endpoints: 5,000 slots and 5,000 members, each batch past the size written on a thread of
        // its own. No connect: the maps are read back (ClusterIPs from 198.18.128.1, endpoints from 198.19.0.1).
        Privileged.Require();
        var lab = TestNames.NewLab();
        var plan = new NodeServicePlan
        {
            NodeName = "node-1",
            NodeAddress = IPAddress.Parse("198.18.0.11"),
            ClusterCidr = IPNetwork.Parse("198.19.0.0/16"),
            ServiceCidr = IPNetwork.Parse("198.18.128.0/17"),
            Ports = new(Enumerable.Range(0, 1000).Select(s => new ServicePortPlan
            {
                Id = new ServicePortId("bulk", $"svc-{s:D4}", "http", Protocol.TCP),
                ClusterIP = IpMath.Offset(IPNetwork.Parse("198.18.128.0/17"), (ulong)s + 1),
                Port = 80,
                ClusterEndpoints = new(Enumerable.Range(0, 5).Select(e => new ProxyEndpoint(IpMath.Offset(IPNetwork.Parse("198.19.0.0/16"), (ulong)((s * 5) + e + 1)), 8080, "node-2", false, false))),
            })),
        };
        var node = NetworkNamespace.Create($"maille-{lab}-node");
        var cgroup = LabCgroup.For(lab);
        try
        {
            cgroup.Create();
            using var balancer = new NodeSocketLoadBalancer(node, "node-1", cgroup, _ => []);
            var namespaces = new HashSet<ulong> { balancer.NodeCookie };

            var sync = balancer.Write(plan, namespaces);
            var resync = balancer.Write(plan, namespaces, full: true);

            Assert.Equal((null, null), (sync.Error, resync.Error));
            Assert.Equal(1 + 5000 + 5000 + 1000, sync.CommandCount);   // the namespace, slots, members, entries
            var counts = balancer.MapCounts();
            Assert.Equal((1, 1000, 5000, 5000), (counts["netns"], counts["services"], counts["backends"], counts["members"]));
            var last = plan.Ports[999];
            var walk = balancer.Walk(last.ClusterIP, 80, Protocol.TCP);
            Assert.Equal(last.ClusterEndpoints.Select(e => $"{e.Address}:{e.Port}"), walk.Backends.Select(b => b.ToString()));
        }
        finally
        {
            cgroup.Remove();
            node.Dispose();
            NetworkNamespace.Delete(node.Name);
        }
    }

    private static ServicePortPlan Port(ClusterState cluster, string service, int port) => SocketLbCase.Port(cluster, service, port);

    /// <summary>Connects from the pod's namespace and reads the endpoint's answer; the peer is what getpeername() says.</summary>
    private static async Task<(string Answer, EndPoint? Peer)> ConnectAsync(NetworkNamespace pod, IPAddress address, int port)
    {
        using var client = pod.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await client.ConnectAsync(new IPEndPoint(address, port), timeout.Token);
        var buffer = new byte[256];
        var read = await client.ReceiveAsync(buffer, timeout.Token);
        return (Encoding.ASCII.GetString(buffer, 0, read), client.RemoteEndPoint);
    }

    private static Task WithBalancer(Func<NodeSocketLoadBalancer, NetworkNamespace, ClusterState, Task> test) =>
        WithBalancer((balancer, pod, cluster, _) => test(balancer, pod, cluster), pinned: false);

    /// <param name="test">Also given a load of another balancer on the same namespace, cgroup and pins.</param>
    /// <param name="pinned">Pins the maps and links in a bpffs mounted for the test (unmounted at the end, before the cgroup goes).</param>
    private static async Task WithBalancer(Func<NodeSocketLoadBalancer, NetworkNamespace, ClusterState, Func<NodeSocketLoadBalancer>, Task> test, bool pinned)
    {
        var lab = TestNames.NewLab();
        var pins = pinned ? Path.Combine(Path.GetTempPath(), $"maille-{lab}-bpf") : null;
        var cluster = SocketLbCase.Cluster;
        var endpoints = ServiceProxyPlanner.Plan(cluster, "node-1").Ports.SelectMany(p => p.ClusterEndpoints).Distinct().ToList();
        var pod = NetworkNamespace.Create($"maille-{lab}-pod");
        var cgroup = LabCgroup.For(lab);
        using var stop = new CancellationTokenSource();
        var servers = new List<Task>();
        try
        {
            using (var netlink = RtNetlink.OpenIn(pod))
            {
                netlink.SetLink(1, up: true);
                foreach (var address in endpoints.Select(e => e.Address).Distinct())
                {
                    netlink.AddAddress(1, address, 32);
                }

                netlink.Flush();
            }

            var sockets = endpoints.Select(e => (Endpoint: e, Socket: Serve(pod, e))).ToList();
            servers.AddRange(sockets.Select(s => AnswerAsync(s.Socket, s.Endpoint, stop.Token)));
            cgroup.Create();
            if (pins is not null)
            {
                LabBpfFs.Mount(pins);
            }

            NodeSocketLoadBalancer Load() => new(pod, "node-1", cgroup, _ => [], pinDirectory: pins);
            using var balancer = Load();
            Assert.Equal(NodeSocketLoadBalancer.Programs, balancer.AttachedPrograms);
            var sync = balancer.Sync(cluster);
            Assert.Null(sync.Error);
            Assert.True(sync.Full);
            cgroup.Join(Environment.ProcessId);
            try
            {
                await test(balancer, pod, cluster, Load);
            }
            finally
            {
                foreach (var (_, socket) in sockets)
                {
                    socket.Dispose();
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            if (pins is not null)
            {
                // The pins go with their bpffs, and the links they held with them.
                LabBpfFs.Unmount(pins);
                Directory.Delete(pins);
            }

            cgroup.Remove();
            Assert.False(cgroup.Exists);
            pod.Dispose();
            NetworkNamespace.Delete(pod.Name);
        }
    }

    private static Socket Serve(NetworkNamespace pod, ProxyEndpoint endpoint)
    {
        var udp = endpoint.Port == 5353;
        var socket = pod.CreateSocket(AddressFamily.InterNetwork, udp ? SocketType.Dgram : SocketType.Stream, udp ? ProtocolType.Udp : ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(endpoint.Address, endpoint.Port));
        if (!udp)
        {
            socket.Listen(64);
        }

        return socket;
    }

    /// <summary>Answers every TCP connection or UDP datagram with the endpoint's own address:port.</summary>
    private static async Task AnswerAsync(Socket socket, ProxyEndpoint endpoint, CancellationToken stop)
    {
        var answer = Encoding.ASCII.GetBytes(endpoint.ToString());
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (socket.SocketType == SocketType.Dgram)
                {
                    var buffer = new byte[256];
                    var received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), stop);
                    await socket.SendToAsync(answer, received.RemoteEndPoint, stop);
                }
                else
                {
                    using var connection = await socket.AcceptAsync(stop);
                    await connection.SendAsync(answer, stop);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The test is over.
        }
    }
}
