using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using Maille.Dataplane.Linux.Netlink;
using Maille.Dataplane.Linux.Netns;

namespace Maille.Dataplane.Linux.Lab;

/// <summary>
/// Carries out a <see cref="LabNetworkPlan"/> with syscalls and batched rtnetlink, and tears a lab down by name.
/// </summary>
/// <remarks>
/// Interface indexes are chosen here, not looked up: a fresh namespace holds only <c>lo</c> (index 1), so
/// the underlay's bridge is 2 and its ports 3.., a node's <c>eth0</c> is 2 and its pod veths 3.., and a pod's
/// <c>eth0</c> is 2. One netlink socket per namespace, one batch per socket, namespaces opened once.
/// Nothing is added to the calling process's own network namespace.
/// </remarks>
public static class LabNetworkBuilder
{
    private const int LoopbackIndex = 1;
    private const int FirstIndex = 2;
    private const int FirstPortIndex = 3;
    private static readonly IPNetwork DefaultRoute = IPNetwork.Parse("0.0.0.0/0");
    private static readonly PhysicalAddress FloodAddress = new(new byte[6]);

    public static LabNetwork Build(string lab, LabTopology topology) => Build(LabNetworkPlanner.Plan(lab, topology));

    /// <summary>Builds the lab; on any failure removes whatever it made and rethrows.</summary>
    /// <exception cref="InvalidOperationException">Namespaces of this lab already exist.</exception>
    public static LabNetwork Build(LabNetworkPlan plan)
    {
        var existing = Namespaces(plan.Lab);
        if (existing.Count > 0)
        {
            throw new InvalidOperationException($"lab '{plan.Lab}' already has {existing.Count} namespaces (first: {existing[0]}); tear it down first");
        }

        var created = new List<NetworkNamespace>();
        try
        {
            var started = Stopwatch.GetTimestamp();
            NetworkNamespace.CreateHome(LabNames.NamespaceHome(plan.Lab));
            created.AddRange(NetworkNamespace.CreateMany([.. plan.NamespaceNames], threads: SetupThreads, home: LabNames.NamespaceHome(plan.Lab)));
            var network = new LabNetwork(plan, created);
            var namespacesDone = Stopwatch.GetTimestamp();
            BuildUnderlay(network);
            BuildExternal(network);
            var underlayDone = Stopwatch.GetTimestamp();
            BuildNodes(network);
            var nodesDone = Stopwatch.GetTimestamp();
            BuildPods(network);
            network.ParkPods();
            network.Timings = new LabBuildTimings(
                Stopwatch.GetElapsedTime(started, namespacesDone),
                Stopwatch.GetElapsedTime(namespacesDone, underlayDone),
                Stopwatch.GetElapsedTime(underlayDone, nodesDone),
                Stopwatch.GetElapsedTime(nodesDone));
            return network;
        }
        catch
        {
            foreach (var handle in created)
            {
                handle.Dispose();
            }

            Teardown(plan.Lab);
            throw;
        }
    }

    /// <summary>
    /// Takes over the network a previous process built from the same plan, as it is: every namespace the plan names, and
    /// no other of the lab, must exist, and each node must hold its pod veths by name; nothing is created, changed or
    /// removed. Null when the lab's namespaces are not the plan's (the caller then builds it afresh). What a node's
    /// processes programmed there (a node agent's nftables tables) stays as it is.
    /// </summary>
    /// <remarks>
    /// Only names are checked, not addresses or routes: the plan was made from the state the previous builder read, so
    /// a namespace of the right name holds what that plan gave it unless someone changed it by hand.
    /// </remarks>
    public static LabNetwork? Adopt(LabNetworkPlan plan)
    {
        var wanted = plan.NamespaceNames.ToHashSet(StringComparer.Ordinal);
        if (!wanted.SetEquals(Namespaces(plan.Lab)))
        {
            return null;
        }

        var opened = new List<NetworkNamespace>();
        try
        {
            var started = Stopwatch.GetTimestamp();
            opened.AddRange(wanted.Select(NetworkNamespace.Open));
            var network = new LabNetwork(plan, opened);
            var podsByNode = plan.Pods.ToLookup(pod => pod.Node, StringComparer.Ordinal);
            var vxlan = plan.Mode == LabNetworkMode.Vxlan;
            var nextIndexes = NetworkNamespace.RunInEach([.. plan.Nodes.Select(node => network.Node(node.Name))], current =>
            {
                // The next pod veth takes the index after the highest one in use: indexes are chosen, never reused.
                using var netlink = RtNetlink.OpenHere(current);
                var node = plan.Nodes.Single(n => n.Namespace == current.Name);
                var highest = Math.Max(netlink.GetIndex(LabNames.NodeInterface), vxlan ? netlink.GetIndex(LabNames.VxlanInterface) : 0);
                foreach (var pod in podsByNode[node.Name])
                {
                    highest = Math.Max(highest, netlink.GetIndex(pod.HostInterface));
                }

                return highest + 1;
            }, SetupThreads);
            for (var i = 0; i < plan.Nodes.Count; i++)
            {
                network.SetNextInterfaceIndex(plan.Nodes[i].Name, nextIndexes[i]);
            }

            network.ParkPods();
            network.Timings = new LabBuildTimings(Stopwatch.GetElapsedTime(started), TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
            return network;
        }
        catch (Exception e) when (e is IOException || (e is AggregateException all && all.InnerExceptions.All(i => i is IOException)))
        {
            // A namespace went meanwhile, or a node lacks a pod's veth: not the plan's network.
            foreach (var handle in opened)
            {
                handle.Dispose();
            }

            return null;
        }
    }

    /// <summary>
    /// Threads that create namespaces and set up nodes: one per core, at most two (measured in docs/lab-network.md). Pods
    /// are set up on one: their requests wait for the kernel's RTNL lock, and a second thread brought nothing.
    /// </summary>
    private static int SetupThreads => Math.Min(2, Environment.ProcessorCount);

    /// <summary>
    /// Deletes every namespace of <paramref name="lab"/> (their veths go with them) with one unmount of their home
    /// (<see cref="NetworkNamespace.CreateHome"/>); returns how many.
    /// </summary>
    public static int Teardown(string lab)
    {
        if (!LabNames.IsValidLab(lab))
        {
            throw new ArgumentException($"'{lab}' is not a lab name", nameof(lab));
        }

        var names = Namespaces(lab);
        foreach (var name in names)
        {
            NetworkNamespace.DeleteLink(name);
        }

        NetworkNamespace.DeleteHome(LabNames.NamespaceHome(lab));
        return names.Count;
    }

    /// <summary>The lab's namespaces that exist now: its prefix and one of its shapes (<see cref="LabNames.IsLabNamespace"/>).</summary>
    public static IReadOnlyList<string> Namespaces(string lab) =>
        [.. NetworkNamespace.List(LabNames.Prefix(lab)).Where(name => LabNames.IsLabNamespace(lab, name))];

    /// <summary>The underlay: bridge <c>br0</c> holding the gateway address, one port per node and one for the external client.</summary>
    private static void BuildUnderlay(LabNetwork network)
    {
        var plan = network.Plan;
        using var netlink = RtNetlink.OpenIn(network.Underlay);
        netlink.SetLink(LoopbackIndex, up: true);
        netlink.CreateBridge(LabNames.BridgeInterface, FirstIndex, up: true);
        netlink.AddAddress(FirstIndex, plan.UnderlayGateway, plan.UnderlayPrefixLength);
        var port = FirstPortIndex;
        foreach (var node in plan.Nodes)
        {
            netlink.CreateVeth(node.UnderlayInterface, LabNames.NodeInterface, network.Node(node.Name), port++, FirstIndex,
                masterIndex: FirstIndex, up: true);
        }

        netlink.CreateVeth(LabNames.ExternalUnderlayInterface, LabNames.NodeInterface, network.External, port, FirstIndex,
            masterIndex: FirstIndex, up: true);
        netlink.Flush();
    }

    private static void BuildExternal(LabNetwork network)
    {
        using var netlink = RtNetlink.OpenIn(network.External);
        netlink.SetLink(LoopbackIndex, up: true);
        netlink.SetLink(FirstIndex, up: true);
        netlink.AddAddress(FirstIndex, network.Plan.ExternalAddress, network.Plan.UnderlayPrefixLength);
        netlink.Flush();
    }

    /// <summary>
    /// Each node: forwarding on, <c>eth0</c> up with the node IP, a default route to the underlay gateway, routes
    /// to the other nodes' pod CIDRs (over <c>eth0</c>, or over <c>vxlan0</c> in VXLAN mode), and per pod a veth
    /// whose node end has proxy ARP (without delay) and a /32 route to the pod.
    /// The default route matters: proxy ARP answers for 169.254.1.1 only when the node has a route to it.
    /// </summary>
    private static void BuildNodes(LabNetwork network)
    {
        var plan = network.Plan;
        var podsByNode = plan.Pods.ToLookup(pod => pod.Node, StringComparer.Ordinal);
        var nodeNamespaces = plan.Nodes.Select(node => network.Node(node.Name)).ToList();
        var nodesByNamespace = plan.Nodes.ToDictionary(node => node.Namespace, StringComparer.Ordinal);
        var vxlan = plan.Mode == LabNetworkMode.Vxlan;
        var podMtu = vxlan ? LabNetworkPlan.VxlanMtu : 0;
        var nextIndexes = NetworkNamespace.RunInEach(nodeNamespaces, current =>
        {
            var node = nodesByNamespace[current.Name];
            Sysctl.Write("net/ipv4/ip_forward", "1");
            using var netlink = RtNetlink.OpenHere(current);
            netlink.SetLink(LoopbackIndex, up: true);
            netlink.SetLink(FirstIndex, up: true);
            netlink.AddAddress(FirstIndex, node.Address, node.PrefixLength);
            netlink.AddRoute(DefaultRoute, FirstIndex, plan.UnderlayGateway);
            var index = FirstPortIndex;
            if (vxlan)
            {
                var vxlanIndex = index++;
                netlink.CreateVxlan(LabNames.VxlanInterface, LabNetworkPlan.VxlanId, node.Address, LabNetworkPlan.VxlanPort, FirstIndex,
                    vxlanIndex, up: true, learning: true, mtu: LabNetworkPlan.VxlanMtu);
                netlink.AddAddress(vxlanIndex, node.VxlanAddress!, 32);
                foreach (var peer in node.VxlanPeers)
                {
                    netlink.AppendFdb(vxlanIndex, FloodAddress, peer);
                }

                foreach (var route in node.Routes)
                {
                    netlink.AddRoute(route.Destination, vxlanIndex, route.Gateway, onLink: true);
                }
            }
            else
            {
                foreach (var route in node.Routes)
                {
                    netlink.AddRoute(route.Destination, FirstIndex, route.Gateway);
                }
            }

            foreach (var pod in podsByNode[node.Name])
            {
                AddPodLink(netlink, network, pod, index++, podMtu);
            }

            netlink.Flush();
            foreach (var pod in podsByNode[node.Name])
            {
                EnableProxyArp(pod);
            }

            return index;
        }, SetupThreads);
        for (var i = 0; i < plan.Nodes.Count; i++)
        {
            network.SetNextInterfaceIndex(plan.Nodes[i].Name, nextIndexes[i]);
        }
    }

    /// <summary>The node end of a pod's veth (the pod end moved into the pod's namespace) and the /32 route to the pod.</summary>
    private static void AddPodLink(RtNetlink netlink, LabNetwork network, PodNetworkPlan pod, int index, int mtu)
    {
        netlink.CreateVeth(pod.HostInterface, LabNames.PodInterface, network.Pod(pod.Key), index, FirstIndex, up: true, mtu: mtu,
            address: LabNames.PodMac(pod.Key, hostSide: true), peerAddress: LabNames.PodMac(pod.Key, hostSide: false));
        netlink.AddRoute(new IPNetwork(pod.Address, 32), index, scope: RouteScope.Link);

        // Both ends of a pod's link are known, so neither resolves the other: permanent entries stay out of the
        // machine-wide neighbour table limit that a lab of a few hundred pods' resolved entries overflows.
        netlink.AddNeighbour(index, pod.Address, LabNames.PodMac(pod.Key, hostSide: false));
    }

    /// <summary>Run inside the pod's node.</summary>
    private static void EnableProxyArp(PodNetworkPlan pod)
    {
        Sysctl.Write($"net/ipv4/conf/{pod.HostInterface}/proxy_arp", "1");

        // Proxy ARP replies wait a random 0-0.8 s by default (neigh proxy_delay); Calico sets 0 too.
        Sysctl.Write($"net/ipv4/neigh/{pod.HostInterface}/proxy_delay", "0");
    }

    /// <summary>
    /// Adds pods to a running lab: their namespaces, veths to their nodes, routes. On any failure the pods added by this
    /// call are removed again and the exception rethrown. The caller has checked the new topology with
    /// <see cref="LabNetworkPlanner.Validate"/>.
    /// </summary>
    public static void AddPods(LabNetwork network, IReadOnlyList<LabPod> pods)
    {
        if (pods.Count == 0)
        {
            return;
        }

        var plans = pods.Select(pod => LabNetworkPlanner.PlanPod(network.Plan.Lab, pod)).ToList();
        var handles = NetworkNamespace.CreateMany([.. plans.Select(p => p.Namespace)], threads: 1, home: LabNames.NamespaceHome(network.Plan.Lab));
        for (var i = 0; i < plans.Count; i++)
        {
            network.AddPod(plans[i], handles[i]);
        }

        try
        {
            var podMtu = network.Plan.Mode == LabNetworkMode.Vxlan ? LabNetworkPlan.VxlanMtu : 0;
            foreach (var group in plans.GroupBy(p => p.Node, StringComparer.Ordinal))
            {
                var node = network.Node(group.Key);
                var indexes = group.Select(_ => network.TakeInterfaceIndex(group.Key)).ToList();
                node.RunInside(() =>
                {
                    using var netlink = RtNetlink.OpenHere(node);
                    var i = 0;
                    foreach (var pod in group)
                    {
                        AddPodLink(netlink, network, pod, indexes[i++], podMtu);
                    }

                    netlink.Flush();
                    foreach (var pod in group)
                    {
                        EnableProxyArp(pod);
                    }
                });
            }

            ConfigurePods(network, plans);
            foreach (var plan in plans)
            {
                network.Pod(plan.Key).Park();
            }
        }
        catch
        {
            RemovePods(network, [.. plans.Select(p => p.Key)]);
            throw;
        }
    }

    /// <summary>
    /// Removes pods from a running lab: their node-side veth (which takes the pod end with it) and their namespace.
    /// The caller has closed the pod's sockets and stopped its programs first, since those keep a namespace alive.
    /// </summary>
    public static void RemovePods(LabNetwork network, IReadOnlyList<string> keys)
    {
        var plans = keys.Where(network.HasPod).Select(network.PodPlan).ToList();
        foreach (var group in plans.GroupBy(p => p.Node, StringComparer.Ordinal))
        {
            var node = network.Node(group.Key);
            node.RunInside(() =>
            {
                using var netlink = RtNetlink.OpenHere(node);
                foreach (var pod in group)
                {
                    try
                    {
                        netlink.DeleteLink(netlink.GetIndex(pod.HostInterface));
                        netlink.Flush();
                    }
                    catch (NetlinkException)
                    {
                        // Already gone (the pod's namespace went first, or a half-built add).
                    }
                }
            });
        }

        foreach (var pod in plans)
        {
            network.ForgetPod(pod.Key);
            NetworkNamespace.Delete(pod.Namespace);
        }
    }

    /// <summary>
    /// Each pod: <c>lo</c> and <c>eth0</c> up, the pod IP /32, default via 169.254.1.1 onlink. One thread that
    /// setns's from pod to pod: the kernel serialises these requests on the RTNL lock, and a second thread
    /// measured no faster on 2 cores (docs/lab-network.md).
    /// </summary>
    private static void BuildPods(LabNetwork network) => ConfigurePods(network, network.Plan.Pods);

    private static void ConfigurePods(LabNetwork network, IReadOnlyList<PodNetworkPlan> pods)
    {
        var byNamespace = pods.ToDictionary(pod => pod.Namespace, StringComparer.Ordinal);
        var podNamespaces = pods.Select(pod => network.Pod(pod.Key)).ToList();
        NetworkNamespace.RunInEach(podNamespaces, current =>
        {
            var pod = byNamespace[current.Name];
            using var netlink = RtNetlink.OpenHere(current);
            netlink.SetLink(LoopbackIndex, up: true);
            netlink.SetLink(FirstIndex, up: true);
            netlink.AddAddress(FirstIndex, pod.Address, 32);
            netlink.AddRoute(DefaultRoute, FirstIndex, LabNetworkPlan.PodGateway, onLink: true);
            netlink.AddNeighbour(FirstIndex, LabNetworkPlan.PodGateway, LabNames.PodMac(pod.Key, hostSide: true));
            netlink.Flush();
            return true;
        });
    }
}
