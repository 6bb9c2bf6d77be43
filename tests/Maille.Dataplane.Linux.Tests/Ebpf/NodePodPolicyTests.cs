using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Maille.Dataplane.Linux.Ebpf;
using Maille.Dataplane.Linux.Netns;
using Maille.Dataplane.Linux.Nftables;
using Maille.Dataplane.Linux.Tests.Flows;
using Maille.Engine.NetworkPolicies;
using Maille.TestKit;

namespace Maille.Dataplane.Linux.Tests.Ebpf;

// NetworkPolicy at tc on real veths. The test makes a node namespace (maille-tXXXXXX-node) and three pod namespaces
// joined to it by routed veths, with the playground's addresses (examples/netpol-playground/pods.yaml): x/a and y/a,
// pods of node-1 whose veths carry the programs, and x/b, a pod of node-2 in the plan, joined here to the same node as
// its packets would arrive from the other node (no program on its veth: node-1 does not judge its directions). Every
// pod answers TCP on 80, 81 and 82 and UDP on 80 with what it receives. The namespaces are removed even when a test
// fails, and nothing is made in the host namespace.
public sealed class NodePodPolicyTests
{
    private static readonly TimeSpan DeniedAfter = TimeSpan.FromSeconds(1);

    // An allowed connection may lose its first SYN in namespaces just made (neighbour resolution; TCP sends it again
    // after 1 s): it gets longer. A denied one is rejected at once (ICMP), so DeniedAfter stays short.
    private static readonly TimeSpan AllowedWithin = TimeSpan.FromSeconds(5);

    [SkippableFact]
    public async Task Allowed_and_denied_connections_follow_the_policy_and_each_counts_under_its_rule()
    {
        Privileged.Require();
        const string Policy = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: from-y, namespace: x}\nspec:\n  podSelector: {matchLabels: {pod: a}}\n  ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}], ports: [{port: 80, endPort: 81}]}]\n";
        await WithPods(Policy, async (policy, pods) =>
        {
            Assert.True(await ConnectsAsync(pods.Ya, pods.XaAddress, 80));
            Assert.True(await ConnectsAsync(pods.Ya, pods.XaAddress, 81));
            Assert.Equal("unreachable", await OutcomeAsync(pods.Ya, pods.XaAddress, 82));   // outside the port range: rejected at once
            Assert.Equal("unreachable", await OutcomeAsync(pods.Xb, pods.XaAddress, 80));   // not of namespace y
            Assert.True(await ConnectsAsync(pods.Xa, pods.YaAddress, 80));    // x/a's egress and y/a's ingress are not isolated

            var counters = policy.ReadCounters();
            Assert.Equal(2UL, counters["ingress/x/from-y/0"].Packets);
            Assert.Equal(2 * 74UL, counters["ingress/x/from-y/0"].Bytes);   // two SYNs of 74 bytes (Ethernet, IP, TCP with options)
            var denials = counters.Single(c => c.Key.StartsWith("deny/", StringComparison.Ordinal));
            Assert.Equal(2UL, denials.Value.Packets);   // each rejected SYN (none is sent again)
            Assert.Equal(2, policy.Interfaces.Count);
            Assert.Equal(3, policy.MapCounts()["pods"]);

            // A full sync (drift repair) writes every entry again in place: the maps hold what they held, counts go on.
            var before = policy.MapCounts();
            var repair = policy.Sync(pods.Cluster, full: true);
            Assert.True(repair.Full);
            Assert.Null(repair.Error);
            Assert.Equal(before, policy.MapCounts());
            Assert.True(await ConnectsAsync(pods.Ya, pods.XaAddress, 80));
            Assert.Equal(3UL, policy.ReadCounters()["ingress/x/from-y/0"].Packets);
        });
    }

    [SkippableFact]
    public async Task Each_denied_first_packet_is_reported_once_from_the_ring_buffer_with_the_chain_that_denied_it_as_nftables_logs_it()
    {
        Privileged.Require();
        const string Policy = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: from-y, namespace: x}\nspec:\n  podSelector: {matchLabels: {pod: a}}\n  ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}], ports: [{port: 80, endPort: 81}]}]\n";
        await WithPods(Policy, async (policy, pods) =>
        {
            var sink = new CollectingFlowSink();
            using (policy.ReadDenials(sink))
            {
                Assert.True(await ConnectsAsync(pods.Ya, pods.XaAddress, 80));
                Assert.Equal("unreachable", await OutcomeAsync(pods.Ya, pods.XaAddress, 82));
                Assert.Equal("unreachable", await OutcomeAsync(pods.Xb, pods.XaAddress, 80));
                var reported = Poll.Until("both denials are read", () => sink.Logged.Count, n => n >= 2);
                Assert.True(reported.Met, reported.ToString());
                await Task.Delay(300);
            }

            // The prefix nftables' deny rule of the same chain logs (PolicyDenialLog), the chain being the one whose
            // end counted them; the packet's own addresses, ports and protocol. Nothing for the allowed connection.
            var chain = policy.ReadCounters().Single(c => c.Key.StartsWith("deny/", StringComparison.Ordinal)).Key["deny/".Length..];
            var ya = pods.YaAddress;
            var xb = pods.Cluster.PodsByName["x/b"].Status.PodIP!;
            Assert.Collection(sink.Logged,
                p => Assert.Equal((Maille.Dataplane.Nftables.PolicyDenialLog.Prefix(chain), (byte)6, ya, pods.XaAddress, (ushort)82), (p.Prefix, p.Protocol, p.Source, p.Destination, p.DestinationPort)),
                p => Assert.Equal((Maille.Dataplane.Nftables.PolicyDenialLog.Prefix(chain), (byte)6, xb, pods.XaAddress, (ushort)80), (p.Prefix, p.Protocol, p.Source, p.Destination, p.DestinationPort)));
            Assert.All(sink.Logged, p => Assert.NotEqual(0, p.SourcePort));
            Assert.StartsWith("ingress-", chain, StringComparison.Ordinal);
            Assert.Empty(sink.Losses);
            Assert.Empty(sink.Failures);
        });
    }

    [SkippableFact]
    public async Task A_denial_by_a_ClusterNetworkPolicy_Deny_rule_is_reported_with_that_rule_s_log_prefix()
    {
        Privileged.Require();
        var guard = ClusterNetworkPolicyBuilder.Admin("guard-x", 5)
            .SubjectNamespaces(("ns", "x"))
            .Ingress("no-y", Model.ClusterPolicyAction.Deny, [ClusterNetworkPolicyBuilder.Namespaces(("ns", "y"))]);
        await WithPods(guard.Yaml(), async (policy, pods) =>
        {
            var sink = new CollectingFlowSink();
            using (policy.ReadDenials(sink))
            {
                Assert.Equal("unreachable", await OutcomeAsync(pods.Ya, pods.XaAddress, 80));
                Assert.True(await ConnectsAsync(pods.Xb, pods.XaAddress, 80));   // x/b is not of namespace y: the tier passes it on
                var reported = Poll.Until("the denial is read", () => sink.Logged.Count, n => n >= 1);
                Assert.True(reported.Met, reported.ToString());
                await Task.Delay(300);
            }

            var rule = Engine.NetworkPolicies.NodePolicyPlanner.Plan(pods.Cluster, "node-1").TierChains.SelectMany(c => c.Rules).Single().Rule;
            var denial = Assert.Single(sink.Logged);
            Assert.Equal(("maille-deny cnp-guard-x-ingress-0", pods.YaAddress, pods.XaAddress, (ushort)80), (denial.Prefix, denial.Source, denial.Destination, denial.DestinationPort));
            Assert.Equal(Maille.Dataplane.Nftables.PolicyDenialLog.Prefix(rule), denial.Prefix);
            Assert.Empty(sink.Failures);
        });
    }

    [SkippableFact]
    public async Task A_walk_of_the_maps_names_the_entries_that_decided_as_real_packets_are_decided()
    {
        Privileged.Require();
        const string Policy = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: from-y, namespace: x}\nspec:\n  podSelector: {matchLabels: {pod: a}}\n  ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}], ports: [{port: 80, endPort: 81}]}]\n";
        await WithPods(Policy, async (policy, pods) =>
        {
            var xb = pods.Cluster.PodsByName["x/b"].Status.PodIP!;

            var allowed = policy.Walk(ingress: true, pods.XaAddress, pods.YaAddress, 6, 81);
            Assert.True(allowed.Allowed);
            Assert.Equal("ingress/x/from-y/0", allowed.DecidedBy);
            Assert.Collection(allowed.Steps,
                s => Assert.StartsWith($"pods[{pods.XaAddress}] → ingress chain ", s, StringComparison.Ordinal),
                s => Assert.Matches(@"^chains\[\d+ \(.+\)\] → NetworkPolicy chain, end counted in deny/", s),
                s => Assert.Matches($@"^peers\[\d+, {pods.YaAddress}\] → ports segment [1-9]\d*, no rule without ports$", s),
                s => Assert.Matches(@"^ports\[\d+, tcp, 81\] → ingress/x/from-y/0 \(Allow\)$", s),
                s => Assert.Equal("allowed by ingress/x/from-y/0", s));
            Assert.True(await ConnectsAsync(pods.Ya, pods.XaAddress, 81));

            var outsideTheRange = policy.Walk(ingress: true, pods.XaAddress, pods.YaAddress, 6, 82);
            Assert.False(outsideTheRange.Allowed);
            Assert.StartsWith("deny/", outsideTheRange.DecidedBy, StringComparison.Ordinal);
            Assert.Contains("ports[", outsideTheRange.Steps[3], StringComparison.Ordinal);
            Assert.Contains("no rule with ports matches", outsideTheRange.Steps[3], StringComparison.Ordinal);
            Assert.Equal("unreachable", await OutcomeAsync(pods.Ya, pods.XaAddress, 82));

            var otherNamespace = policy.Walk(ingress: true, pods.XaAddress, xb, 6, 80);
            Assert.False(otherNamespace.Allowed);
            Assert.Contains(otherNamespace.Steps, s => s == $"peers[{otherNamespace.Steps[1].Split('[', ' ')[1]}, {xb}]: no interval: no rule of the chain names this peer");
            Assert.Equal("unreachable", await OutcomeAsync(pods.Xb, pods.XaAddress, 80));

            var notIsolated = policy.Walk(ingress: false, pods.XaAddress, pods.YaAddress, 6, 80);
            Assert.True(notIsolated.Allowed);
            Assert.Null(notIsolated.DecidedBy);
            Assert.Equal("egress chain 0: not isolated: allowed", notIsolated.Steps[^1]);
            Assert.Equal(1UL, policy.ReadCounters()["ingress/x/from-y/0"].Packets);   // the one real connection: a walk reads, it does not count
        });
    }

    [SkippableFact]
    public async Task An_ipBlock_admits_its_range_but_not_its_except_hole()
    {
        Privileged.Require();
        const string Policy = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: cidr, namespace: x}\nspec:\n  podSelector: {matchLabels: {pod: a}}\n  ingress: [{from: [{ipBlock: {cidr: 198.19.0.0/16, except: [198.19.2.0/24]}}]}]\n";
        await WithPods(Policy, async (policy, pods) =>
        {
            Assert.True(await ConnectsAsync(pods.Ya, pods.XaAddress, 82));
            Assert.True(await EchoesUdpAsync(pods.Ya, pods.XaAddress, 80));
            Assert.Equal("unreachable", await OutcomeAsync(pods.Xb, pods.XaAddress, 80));
            Assert.True(await ConnectsAsync(pods.Xb, pods.YaAddress, 80));      // x/b reaches a pod that is not isolated
            Assert.Equal(2UL, policy.ReadCounters()["ingress/x/cidr/0"].Packets);
        });
    }

    [SkippableFact]
    public async Task Replies_of_an_allowed_connection_cross_an_isolated_direction_and_a_policy_change_does_not_cut_it()
    {
        Privileged.Require();
        const string Isolated = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: out-to-y, namespace: x}\nspec:\n  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Ingress, Egress]\n  egress: [{to: [{namespaceSelector: {matchLabels: {ns: y}}}], ports: [{port: 80}, {port: 80, protocol: UDP}]}]\n";
        const string Closed = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: out-to-y, namespace: x}\nspec:\n  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Ingress, Egress]\n";
        await WithPods(Isolated, async (policy, pods) =>
        {
            using var open = await OpenAsync(pods.Xa, pods.YaAddress, 80);
            Assert.NotNull(open);
            Assert.True(await EchoesAsync(open!, "one"));                        // replies pass x/a's isolated ingress
            Assert.True(await EchoesUdpAsync(pods.Xa, pods.YaAddress, 80));      // and a UDP answer
            Assert.Equal("unreachable", await OutcomeAsync(pods.Ya, pods.XaAddress, 80));   // a new connection to x/a does not (its ingress)
            Assert.Equal("unreachable", await OutcomeAsync(pods.Xa, pods.YaAddress, 81));   // nor one to another port (its egress)

            var sync = policy.Sync(Cluster.Valid(Fixtures.PlaygroundPods + "\n---\n" + Closed));
            Assert.Null(sync.Error);
            Assert.False(sync.Full);
            Assert.True(await EchoesAsync(open!, "two"));                        // the established connection lives on
            Assert.Equal("unreachable", await OutcomeAsync(pods.Xa, pods.YaAddress, 80));   // a new one meets the new policy
        });
    }

    [SkippableFact]
    public async Task Flushing_denied_flows_cuts_an_established_connection_the_new_policy_denies()
    {
        Privileged.Require();
        const string Open = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: from-y, namespace: x}\nspec:\n  podSelector: {matchLabels: {pod: a}}\n  ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}]}]\n";
        const string Closed = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: from-y, namespace: x}\nspec:\n  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Ingress]\n";
        await WithPods(Open, async (policy, pods) =>
        {
            using var open = await OpenAsync(pods.Ya, pods.XaAddress, 80);
            Assert.True(await EchoesAsync(open!, "one"));

            var sync = policy.Sync(Cluster.Valid(Fixtures.PlaygroundPods + "\n---\n" + Closed), flushDenied: true);

            Assert.True(sync.FlushedFlows >= 1, $"{sync.FlushedFlows} flows flushed");
            Assert.False(await EchoesAsync(open!, "two"));
        });
    }

    [SkippableFact]
    public async Task A_connection_masqueraded_to_the_node_s_address_is_judged_and_flushed_as_its_client_s_as_nftables_forward_judges_it()
    {
        Privileged.Require();
        var fromY = PolicyYaml.Allow("from-y", "x", "pod=a", "ns=y", "80");
        await WithPods(fromY.Yaml, async (policy, pods) =>
        {
            // A NodePort of this node (its address, 30090) to x/a:80, masqueraded to the node's address as kube-proxy
            // does under externalTrafficPolicy Cluster: nftables' nat chains in the test's node namespace.
            var node = NodePolicyPlanner.Plan(pods.Cluster, "node-1").NodeAddress!;
            Run("ip", "netns", "exec", pods.Node.Name, "nft",
                $"add table ip svc; add chain ip svc pre {{ type nat hook prerouting priority dstnat; }}; add rule ip svc pre ip daddr {node} tcp dport 30090 dnat to {pods.XaAddress}:80; "
                + $"add chain ip svc post {{ type nat hook postrouting priority srcnat; }}; add rule ip svc post ct status dnat ip daddr {pods.XaAddress} snat to {node}");

            // x/a's ingress judges the client conntrack names, not the node's address the packet carries: x/b (not
            // of namespace y) is rejected, y/a goes through and x/a sees the node's address.
            Assert.Equal("unreachable", await OutcomeAsync(pods.Xb, node, 30090));
            using var open = await OpenAsync(pods.Ya, node, 30090);
            Assert.NotNull(open);
            Assert.True(await EchoesAsync(open, "one"));
            var tracked = pods.Node.RunInside(ConntrackTable.List).Single(e => e.Source.Equals(pods.YaAddress) && e.DestinationPort == 30090);
            Assert.Equal((pods.XaAddress, 80, node), (tracked.ReplySource, tracked.ReplySourcePort, tracked.ReplyDestination));
            Assert.Equal(1UL, policy.ReadCounters()["ingress/x/from-y/0"].Packets);

            // A policy that now admits the node's address but not y/a: the flush judges the flow (node → x/a) from
            // y/a, as the program judged its first packet, and cuts it.
            var fromNodeOnly = $"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: from-y, namespace: x}}\nspec:\n  podSelector: {{matchLabels: {{pod: a}}}}\n  ingress: [{{from: [{{ipBlock: {{cidr: {node}/32}}}}]}}]\n";
            var sync = policy.Sync(Cluster.Valid(Fixtures.PlaygroundPods + "\n---\n" + fromNodeOnly), flushDenied: true);
            Assert.Equal(1, sync.FlushedFlows);
            Assert.False(await EchoesAsync(open, "two"));
        });
    }

    /// <summary>Connects over TCP and reads back what it sent; false when nothing answers within <see cref="AllowedWithin"/>.</summary>
    private static async Task<bool> ConnectsAsync(NetworkNamespace from, IPAddress to, int port)
    {
        using var socket = await OpenAsync(from, to, port);
        return socket is not null && await EchoesAsync(socket, "hello");
    }

    /// <summary>A TCP connect: connected, unreachable (rejected: ICMP admin-prohibited, as nftables answers), refused or timeout.</summary>
    private static async Task<string> OutcomeAsync(NetworkNamespace from, IPAddress to, int port)
    {
        using var socket = from.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(DeniedAfter);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(to, port), timeout.Token);
            return "connected";
        }
        catch (OperationCanceledException)
        {
            return "timeout";
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode == SocketError.HostUnreachable ? "unreachable" : e.SocketErrorCode.ToString();
        }
    }

    private static async Task<Socket?> OpenAsync(NetworkNamespace from, IPAddress to, int port)
    {
        var socket = from.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(AllowedWithin);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(to, port), timeout.Token);
            return socket;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            socket.Dispose();
            return null;
        }
    }

    private static async Task<bool> EchoesAsync(Socket socket, string text)
    {
        using var timeout = new CancellationTokenSource(AllowedWithin);
        try
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes(text), timeout.Token);
            var buffer = new byte[64];
            var read = await socket.ReceiveAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read) == text;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> EchoesUdpAsync(NetworkNamespace from, IPAddress to, int port)
    {
        using var socket = from.CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Any, 0));
        using var timeout = new CancellationTokenSource(AllowedWithin);
        try
        {
            await socket.SendToAsync(Encoding.ASCII.GetBytes("ping"), new IPEndPoint(to, port), timeout.Token);
            var buffer = new byte[64];
            var received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes) == "ping";
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private sealed record PodNamespaces(NetworkNamespace Node, NetworkNamespace Xa, IPAddress XaAddress, NetworkNamespace Ya, IPAddress YaAddress, NetworkNamespace Xb, Engine.ClusterState Cluster);

    private static async Task WithPods(string policies, Func<NodePodPolicy, PodNamespaces, Task> test)
    {
        var lab = TestNames.NewLab();
        var cluster = Cluster.Valid(Fixtures.PlaygroundPods + "\n---\n" + policies);
        IPAddress Address(string ns, string name) => cluster.Pods.Single(p => p.Namespace == ns && p.Name == name).Status.PodIP!;
        var members = new[] { ("xa", Address("x", "a")), ("ya", Address("y", "a")), ("xb", Address("x", "b")) };
        var created = new List<NetworkNamespace>();
        using var stop = new CancellationTokenSource();
        var servers = new List<Task>();
        var sockets = new List<Socket>();
        var node = NetworkNamespace.Create($"maille-{lab}-node");
        created.Add(node);
        try
        {
            Run("ip", "netns", "exec", node.Name, "sysctl", "-qw", "net.ipv4.ip_forward=1");
            foreach (var (name, address) in members)
            {
                var pod = NetworkNamespace.Create($"maille-{lab}-{name}");
                created.Add(pod);
                var veth = $"h{lab}{name}";
                Run("ip", "-n", node.Name, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", pod.Name);
                Run("ip", "-n", node.Name, "addr", "add", "169.254.1.1/32", "dev", veth);
                Run("ip", "-n", node.Name, "link", "set", veth, "up");
                Run("ip", "-n", node.Name, "route", "add", $"{address}/32", "dev", veth);
                Run("ip", "-n", pod.Name, "link", "set", "lo", "up");
                Run("ip", "-n", pod.Name, "addr", "add", $"{address}/32", "dev", "eth0");
                Run("ip", "-n", pod.Name, "link", "set", "eth0", "up");
                Run("ip", "-n", pod.Name, "route", "add", "169.254.1.1", "dev", "eth0", "scope", "link");
                Run("ip", "-n", pod.Name, "route", "add", "default", "via", "169.254.1.1", "dev", "eth0");
                foreach (var port in (int[])[80, 81, 82])
                {
                    var listener = pod.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    listener.Bind(new IPEndPoint(address, port));
                    listener.Listen(16);
                    sockets.Add(listener);
                    servers.Add(EchoTcpAsync(listener, stop.Token));
                }

                var udp = pod.CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new IPEndPoint(address, 80));
                sockets.Add(udp);
                servers.Add(EchoUdpAsync(udp, stop.Token));
            }

            using var policy = new NodePodPolicy(node, "node-1");
            policy.KeepAttached(new HashSet<string>(StringComparer.Ordinal) { $"h{lab}xa", $"h{lab}ya" });
            var sync = policy.Sync(cluster);
            Assert.Null(sync.Error);
            Assert.True(sync.Full);
            Assert.Contains("maille_egress", Run("tc", "-n", node.Name, "filter", "show", "dev", $"h{lab}xa", "ingress"), StringComparison.Ordinal);
            Assert.Contains("maille_ingress", Run("tc", "-n", node.Name, "filter", "show", "dev", $"h{lab}xa", "egress"), StringComparison.Ordinal);
            Assert.DoesNotContain("bpf", Run("tc", "-n", node.Name, "filter", "show", "dev", $"h{lab}xb", "ingress"), StringComparison.Ordinal);
            await test(policy, new PodNamespaces(node, created[1], members[0].Item2, created[2], members[1].Item2, created[3], cluster));
            policy.Dispose();
            Assert.DoesNotContain("bpf", Run("tc", "-n", node.Name, "filter", "show", "dev", $"h{lab}xa", "ingress"), StringComparison.Ordinal);
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }

            foreach (var space in created)
            {
                space.Dispose();
                NetworkNamespace.Delete(space.Name);
            }
        }
    }

    private static async Task EchoTcpAsync(Socket listener, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var connection = await listener.AcceptAsync(stop);
                _ = Task.Run(async () =>
                {
                    using (connection)
                    {
                        var buffer = new byte[64];
                        try
                        {
                            int read;
                            while ((read = await connection.ReceiveAsync(buffer, stop)) > 0)
                            {
                                await connection.SendAsync(buffer.AsMemory(0, read), stop);
                            }
                        }
                        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                        {
                            // The test is over.
                        }
                    }
                }, stop);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The test is over.
        }
    }

    private static async Task EchoUdpAsync(Socket socket, CancellationToken stop)
    {
        var buffer = new byte[64];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), stop);
                await socket.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), received.RemoteEndPoint, stop);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The test is over.
        }
    }

    private static string Run(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)}: {error.Trim()}");
    }
}
