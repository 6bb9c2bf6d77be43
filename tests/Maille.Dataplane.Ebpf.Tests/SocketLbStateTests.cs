using System.Net;
using Maille.Engine.ServiceProxy;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Dataplane.Ebpf.Tests;

// The socket load balancer's maps rendered from node-1's plan of SocketLbCase, and the writes between two plans.
public sealed class SocketLbStateTests
{
    private static readonly HashSet<ulong> Namespaces = [11, 12];

    [Fact]
    public void A_Service_port_renders_its_ClusterIP_key_its_internal_endpoints_and_its_flags()
    {
        var plan = SocketLbCase.Plan(SocketLbCase.Cluster);
        var web = SocketLbState.Render(Port(plan, "web", 80))!;
        var sticky = SocketLbState.Render(Port(plan, "sticky", 81))!;
        var local = SocketLbState.Render(Port(plan, "local", 82))!;
        var nobody = SocketLbState.Render(Port(plan, "nobody", 80))!;

        Assert.Equal([new SocketLbFrontend(Port(plan, "web", 80).ClusterIP, 80)], web.Frontends);
        Assert.Equal(Protocol.TCP, web.Protocol);
        Assert.Equal(2, web.Backends.Count);
        Assert.All(web.Backends, b => Assert.Equal(8080, b.Port));
        Assert.False(web.Reject);
        Assert.Null(web.AffinitySeconds);
        Assert.Equal(10800, sticky.AffinitySeconds);
        Assert.Equal(Port(plan, "local", 82).LocalEndpoints.Select(e => new SocketLbBackend(e.Address, e.Port)), local.Backends);
        Assert.Single(local.Backends);
        Assert.True(nobody.Reject);
        Assert.Empty(nobody.Backends);
    }

    [Fact]
    public void A_Local_Service_with_no_endpoint_on_this_node_but_some_elsewhere_does_not_reject()
    {
        var plan = SocketLbCase.Plan(SocketLbCase.Cluster);
        var local = Port(plan, "local", 82) with { LocalEndpoints = EquatableArray<ProxyEndpoint>.Empty };

        var rendered = SocketLbState.Render(local)!;

        Assert.Empty(rendered.Backends);
        Assert.False(rendered.Reject);
    }

    [Fact]
    public void A_NodePort_on_this_node_LoadBalancer_IPs_and_externalIPs_share_the_ClusterIP_entry_when_they_use_the_same_endpoints()
    {
        var plan = SocketLbCase.Plan(SocketLbCase.Cluster);
        var web = External(Port(plan, "web", 80));

        var entries = SocketLbState.RenderAll(web, plan.NodeAddress);

        Assert.Equal([SocketLbTraffic.ClusterIP, SocketLbTraffic.ExternalOutside], entries.Select(e => e.Id.Traffic));
        var entry = entries[0];
        Assert.Equal(
            [new SocketLbFrontend(web.ClusterIP, 80), new SocketLbFrontend(plan.NodeAddress!, 30080), new SocketLbFrontend(LoadBalancerIP, 80), new SocketLbFrontend(ExternalIP, 80)],
            entry.Service.Frontends);
        Assert.Equal(2, entry.Service.Backends.Count);
    }

    [Fact]
    public void With_externalTrafficPolicy_Local_processes_inside_the_cluster_still_reach_every_endpoint_as_kube_proxy_sends_them()
    {
        var plan = SocketLbCase.Plan(SocketLbCase.Cluster);
        var web = External(Port(plan, "web", 80)) with { ExternalTrafficLocal = true };

        var external = SocketLbState.RenderExternal(web, plan.NodeAddress)!;

        Assert.Equal(web.ClusterEndpoints.Select(e => new SocketLbBackend(e.Address, e.Port)), external.Backends);
        Assert.Equal(2, external.Backends.Count);
        Assert.Single(web.LocalEndpoints);
    }

    [Fact]
    public void With_internalTrafficPolicy_Local_the_external_addresses_get_an_entry_of_their_own_with_every_endpoint()
    {
        var plan = SocketLbCase.Plan(SocketLbCase.Cluster);
        var local = External(Port(plan, "local", 82));

        var entries = SocketLbState.RenderAll(local, plan.NodeAddress);

        Assert.Equal([SocketLbTraffic.ClusterIP, SocketLbTraffic.ExternalInside, SocketLbTraffic.ExternalOutside], entries.Select(e => e.Id.Traffic));
        Assert.Single(entries[0].Service.Backends);
        Assert.Equal([new SocketLbFrontend(local.ClusterIP, 82)], entries[0].Service.Frontends);
        Assert.Equal(2, entries[1].Service.Backends.Count);
        Assert.Equal(3, entries[1].Service.Frontends.Count);
    }

    [Fact]
    public void External_addresses_of_a_Service_without_endpoints_reject_and_LoadBalancer_IPs_with_source_ranges_are_left_to_the_packet_path()
    {
        var plan = SocketLbCase.Plan(SocketLbCase.Cluster);
        var nobody = External(Port(plan, "nobody", 80));
        var ranged = External(Port(plan, "web", 80)) with { SourceRanges = new([IPNetwork.Parse("198.18.9.0/24")]) };

        var entry = SocketLbState.RenderAll(nobody, plan.NodeAddress)[0];
        var external = SocketLbState.RenderExternal(ranged, plan.NodeAddress)!;

        Assert.True(entry.Service.Reject);
        Assert.Equal(4, entry.Service.Frontends.Count);
        Assert.DoesNotContain(new SocketLbFrontend(LoadBalancerIP, 80), external.Frontends);
        Assert.Contains(new SocketLbFrontend(ExternalIP, 80), external.Frontends);
    }

    [Fact]
    public void From_outside_the_Cluster_policy_uses_every_endpoint_and_masquerades_to_the_node_address_and_Local_keeps_the_client_on_this_node_s_endpoints()
    {
        var plan = SocketLbCase.Plan(SocketLbCase.Cluster);
        var web = External(Port(plan, "web", 80));
        var local = web with { ExternalTrafficLocal = true };
        var noneHere = local with { LocalEndpoints = EquatableArray<ProxyEndpoint>.Empty };

        var cluster = SocketLbState.RenderOutside(web, plan.NodeAddress)!;
        var kept = SocketLbState.RenderOutside(local, plan.NodeAddress)!;
        var dropped = SocketLbState.RenderOutside(noneHere, plan.NodeAddress)!;
        var rejected = SocketLbState.RenderOutside(External(Port(plan, "nobody", 80)), plan.NodeAddress)!;

        Assert.Equal(plan.NodeAddress, cluster.Masquerade);
        Assert.Equal(2, cluster.Backends.Count);
        Assert.Equal(3, cluster.Frontends.Count);
        Assert.Null(kept.Masquerade);
        Assert.Equal(web.LocalEndpoints.Select(e => new SocketLbBackend(e.Address, e.Port)), kept.Backends);
        Assert.Single(kept.Backends);
        Assert.Empty(dropped.Backends);
        Assert.False(dropped.Reject);
        Assert.True(rejected.Reject);
        Assert.Null(SocketLbState.RenderOutside(Port(plan, "web", 80), plan.NodeAddress));
    }

    [Fact]
    public void A_nodeports_entry_carries_the_masquerade_flag_and_address_after_the_service_value()
    {
        var state = new SocketLbState();
        var plan = SocketLbCase.Plan(SocketLbCase.Cluster);
        var web = Port(plan, "web", 80);
        var withNodePort = plan with { Ports = new(plan.Ports.Select(p => p == web ? External(p) : p)) };

        var change = state.Prepare(withNodePort, Namespaces);

        var key = SocketLbLayout.ServiceKey(plan.NodeAddress!, 30080, Protocol.TCP);
        var entry = Assert.Single(change.Operations, o => o.Map == SocketLbMap.External && o.Key.AsSpan().SequenceEqual(key));
        Assert.Equal(SocketLbLayout.ExternalValueSize, entry.Value!.Length);
        Assert.Equal(2, BitConverter.ToUInt16(entry.Value, 4));
        Assert.Equal(SocketLbLayout.MasqueradeFlag, entry.Value[6]);
        Assert.Equal(plan.NodeAddress!.GetAddressBytes(), entry.Value[12..16]);
        Assert.Equal(3, change.Operations.Count(o => o.Map == SocketLbMap.External));
        // The socket side: every port's ClusterIP, and web's three external addresses on its ClusterIP's entry.
        Assert.Equal(plan.Ports.Count + 3, change.Operations.Count(o => o.Map == SocketLbMap.Services));
    }

    [Fact]
    public void A_NodePort_that_moves_to_an_entry_of_its_own_is_overwritten_never_deleted_and_its_new_endpoints_come_first()
    {
        var state = new SocketLbState();
        var plan = SocketLbCase.Plan(SocketLbCase.Cluster);
        var web = Port(plan, "web", 80);
        var shared = plan with { Ports = new(plan.Ports.Select(p => p == web ? External(p) : p)) };
        state.Commit(state.Prepare(shared, Namespaces));
        var split = plan with { Ports = new(plan.Ports.Select(p => p == web ? External(p) with { InternalTrafficLocal = true } : p)) };

        var change = state.Prepare(split, Namespaces);

        var nodePortKey = SocketLbLayout.ServiceKey(plan.NodeAddress!, 30080, Protocol.TCP);
        Assert.DoesNotContain(change.Operations, o => o.IsDelete && o.Map == SocketLbMap.Services);
        var moved = Assert.Single(change.Operations, o => o.Map == SocketLbMap.Services && o.Key.AsSpan().SequenceEqual(nodePortKey));
        Assert.Equal(2, BitConverter.ToUInt16(moved.Value!, 4));
        var operations = change.Operations.ToList();
        Assert.True(operations.FindLastIndex(o => o.Map == SocketLbMap.Backends && !o.IsDelete) < operations.IndexOf(moved));
        state.Commit(change);
        Assert.Equal(plan.Ports.Count, state.ServicePortCount);
        Assert.Empty(state.Prepare(split, Namespaces).Operations);
    }

    [Fact]
    public void The_first_change_is_full_and_writes_every_namespace_service_endpoint_and_member()
    {
        var plan = SocketLbCase.Plan(SocketLbCase.Cluster);
        var change = new SocketLbState().Prepare(plan, Namespaces);

        Assert.True(change.Full);
        Assert.All(change.Operations, o => Assert.False(o.IsDelete));
        Assert.Equal(2, Count(change, SocketLbMap.Namespaces));
        Assert.Equal(plan.Ports.Count, Count(change, SocketLbMap.Services));
        var endpoints = plan.Ports.Sum(p => p.InternalEndpoints.Count);
        Assert.Equal(endpoints, Count(change, SocketLbMap.Backends));
        Assert.Equal(endpoints, Count(change, SocketLbMap.Members));
    }

    [Fact]
    public void The_service_entry_holds_the_ClusterIP_port_and_protocol_in_network_order_and_counts_its_endpoints()
    {
        var plan = SocketLbCase.Plan(SocketLbCase.Cluster);
        var web = Port(plan, "web", 53);
        var change = new SocketLbState().Prepare(plan, Namespaces);

        var key = SocketLbLayout.ServiceKey(web.ClusterIP, 53, Protocol.UDP);
        var entry = Assert.Single(change.Operations, o => o.Map == SocketLbMap.Services && o.Key.AsSpan().SequenceEqual(key));

        Assert.Equal([.. web.ClusterIP.GetAddressBytes(), 0, 53, 17, 0], entry.Key);
        Assert.Equal(2, BitConverter.ToUInt16(entry.Value!, 4));
        Assert.Equal(0, entry.Value![6]);
    }

    [Fact]
    public void The_same_plan_again_writes_nothing()
    {
        var state = new SocketLbState();
        var plan = SocketLbCase.Plan(SocketLbCase.Cluster);
        state.Commit(state.Prepare(plan, Namespaces));

        var again = state.Prepare(SocketLbCase.Plan(SocketLbCase.Cluster), Namespaces);

        Assert.False(again.Full);
        Assert.Empty(again.Operations);
    }

    [Fact]
    public void An_endpoint_that_goes_changes_only_the_Services_it_served_and_the_entry_shrinks_before_its_slot_goes()
    {
        var state = new SocketLbState();
        var before = SocketLbCase.Plan(SocketLbCase.Cluster);
        state.Commit(state.Prepare(before, Namespaces));
        var after = SocketLbCase.Plan(SocketLbCase.WithoutWeb2);

        var change = state.Prepare(after, Namespaces);

        Assert.False(change.Full);
        // web (2 ports) and sticky lose web-2; local (node-1's endpoint only) and nobody are untouched.
        var entries = change.Operations.Where(o => o.Map == SocketLbMap.Services).ToList();
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.Equal(1, BitConverter.ToUInt16(e.Value!, 4)));
        Assert.Equal(3, change.Operations.Count(o => o.Map == SocketLbMap.Backends && o.IsDelete));
        Assert.Equal(3, change.Operations.Count(o => o.Map == SocketLbMap.Members && o.IsDelete));
        var lastEntry = change.Operations.ToList().FindLastIndex(o => o.Map == SocketLbMap.Services);
        var firstSlotDelete = change.Operations.ToList().FindIndex(o => o.Map == SocketLbMap.Backends && o.IsDelete);
        Assert.True(lastEntry < firstSlotDelete, string.Join("\n", change.Operations));
        Assert.DoesNotContain(change.Operations, o => o.Map == SocketLbMap.Namespaces);
    }

    [Fact]
    public void One_endpoint_added_to_one_Service_writes_its_slot_and_member_then_its_entry_and_removed_again_the_reverse()
    {
        var state = new SocketLbState();
        var plan = SocketLbCase.Plan(SocketLbCase.Cluster);
        state.Commit(state.Prepare(plan, Namespaces));
        var web = Port(plan, "web", 80);
        var extra = new ProxyEndpoint(IPAddress.Parse("198.19.9.9"), 8080, "node-2", false, false);
        var grown = plan with { Ports = new(plan.Ports.Select(p => p == web ? p with { ClusterEndpoints = new([.. p.ClusterEndpoints, extra]) } : p)) };

        var added = state.Prepare(grown, Namespaces);
        state.Commit(added);
        var removed = state.Prepare(plan, Namespaces);

        Assert.Equal([SocketLbMap.Backends, SocketLbMap.Members, SocketLbMap.Services], added.Operations.Select(o => o.Map));
        Assert.All(added.Operations, o => Assert.False(o.IsDelete));
        Assert.Equal(3, BitConverter.ToUInt16(added.Operations[2].Value!, 4));
        Assert.Equal(SocketLbLayout.BackendValue(new SocketLbBackend(extra.Address, 8080)), added.Operations[0].Value);
        Assert.Equal([SocketLbMap.Services, SocketLbMap.Backends, SocketLbMap.Members], removed.Operations.Select(o => o.Map));
        Assert.Equal(2, BitConverter.ToUInt16(removed.Operations[0].Value!, 4));
        Assert.True(removed.Operations[1].IsDelete && removed.Operations[2].IsDelete);
    }

    [Fact]
    public void After_partial_changes_a_full_change_writes_what_a_fresh_state_would_and_the_counts_follow()
    {
        var state = new SocketLbState();
        var plan = SocketLbCase.Plan(SocketLbCase.Cluster);
        state.Commit(state.Prepare(plan, Namespaces));
        var after = SocketLbCase.Plan(SocketLbCase.WithoutWeb2);
        state.Commit(state.Prepare(after, Namespaces));

        var full = state.Prepare(after, Namespaces, full: true);
        var fresh = new SocketLbState().Prepare(after, Namespaces);

        Assert.Equal(fresh.Operations.Select(o => o.ToString()), full.Operations.Select(o => o.ToString()));
        Assert.Equal(after.Ports.Where(p => p.KernelSupported).Sum(p => p.InternalEndpoints.Count), state.BackendCount);
        Assert.Equal(after.Ports.Count(p => p.KernelSupported), state.ServicePortCount);
    }

    [Fact]
    public void A_Service_that_goes_loses_its_entry_before_its_endpoints_and_its_id_is_not_reused_while_known()
    {
        var state = new SocketLbState();
        state.Commit(state.Prepare(SocketLbCase.Plan(SocketLbCase.Cluster), Namespaces));
        var plan = SocketLbCase.Plan(SocketLbCase.Cluster);
        var withoutWeb = plan with { Ports = new(plan.Ports.Where(p => p.Id.Service != "web")) };

        var change = state.Prepare(withoutWeb, Namespaces);

        var operations = change.Operations.ToList();
        Assert.Equal(2, operations.Count(o => o.Map == SocketLbMap.Services && o.IsDelete));
        Assert.Equal(4, operations.Count(o => o.Map == SocketLbMap.Backends && o.IsDelete));
        Assert.True(operations.FindLastIndex(o => o.Map == SocketLbMap.Services) < operations.FindIndex(o => o.Map == SocketLbMap.Backends));
        Assert.All(operations, o => Assert.True(o.IsDelete));
    }

    [Fact]
    public void Namespaces_are_added_before_and_removed_after_the_Service_writes()
    {
        var state = new SocketLbState();
        var plan = SocketLbCase.Plan(SocketLbCase.Cluster);
        state.Commit(state.Prepare(plan, Namespaces));

        var change = state.Prepare(plan, new HashSet<ulong> { 12, 13 });

        Assert.Equal(2, change.Operations.Count);
        Assert.Equal(new SocketLbOperation(SocketLbMap.Namespaces, SocketLbLayout.NamespaceKey(13), SocketLbLayout.NamespaceValue()).ToString(), change.Operations[0].ToString());
        Assert.Equal(new SocketLbOperation(SocketLbMap.Namespaces, SocketLbLayout.NamespaceKey(11), null).ToString(), change.Operations[1].ToString());
    }

    [Fact]
    public void A_full_change_writes_every_entry_again_under_the_same_ids()
    {
        var state = new SocketLbState();
        var plan = SocketLbCase.Plan(SocketLbCase.Cluster);
        var first = state.Prepare(plan, Namespaces);
        state.Commit(first);

        var again = state.Prepare(plan, Namespaces, full: true);

        Assert.True(again.Full);
        Assert.Equal(first.Operations.Select(o => o.ToString()), again.Operations.Select(o => o.ToString()));
    }

    [Fact]
    public void After_a_refusal_the_next_change_is_full()
    {
        var state = new SocketLbState();
        var plan = SocketLbCase.Plan(SocketLbCase.Cluster);
        state.Commit(state.Prepare(plan, Namespaces));

        state.Reset();
        var change = state.Prepare(plan, Namespaces);

        Assert.True(change.Full);
        Assert.Equal(plan.Ports.Count, Count(change, SocketLbMap.Services));
    }

    [Fact]
    public void A_full_change_packs_exactly_the_writes_the_layout_spells_out_one_by_one_in_the_safe_order()
    {
        // Enough ports for every packed buffer to grow several times, some with external addresses (nodeports entries
        // and shared services keys), one endpoint listed twice (one member, two slots).
        var plan = SocketLbCase.Plan(SocketLbCase.Cluster);
        var ports = Enumerable.Range(0, 40).SelectMany(i => plan.Ports.Select(p => Copy(p, i))).ToList();
        var web = ports.FindIndex(p => p.Id.Service.StartsWith("web", StringComparison.Ordinal));
        ports[web] = ports[web] with { ClusterEndpoints = new([.. ports[web].ClusterEndpoints, ports[web].ClusterEndpoints[0]]) };
        var big = plan with { Ports = new(ports) };

        var change = new SocketLbState().Prepare(big, Namespaces);

        Assert.Equal(Reference(big, Namespaces), change.Operations.Select(o => o.ToString()));
        Assert.Equal(change.Operations.Count, change.CommandCount);
    }

    [Fact]
    public void The_writes_of_one_stage_go_to_different_maps_and_slots_and_members_come_a_stage_before_any_entry()
    {
        var state = new SocketLbState();
        var plan = SocketLbCase.Plan(SocketLbCase.Cluster);
        state.Commit(state.Prepare(plan, Namespaces));
        var after = SocketLbCase.Plan(SocketLbCase.WithoutWeb2);

        foreach (var change in new[] { new SocketLbState().Prepare(plan, Namespaces), state.Prepare(after, new HashSet<ulong> { 12, 13 }) })
        {
            Assert.All(change.Stages, stage => Assert.Equal(stage.Count, stage.Select(b => b.Map).Distinct().Count()));
            var entryStage = change.Stages.ToList().FindIndex(stage => stage.Any(b => b.Map is SocketLbMap.Services or SocketLbMap.External && !b.IsDelete));
            var lastAddStage = change.Stages.ToList().FindLastIndex(stage => stage.Any(b => b.Map is SocketLbMap.Backends or SocketLbMap.Members && !b.IsDelete));
            var firstRemovalStage = change.Stages.ToList().FindIndex(stage => stage.Any(b => b.Map is SocketLbMap.Backends or SocketLbMap.Members && b.IsDelete));
            Assert.True(lastAddStage < entryStage, string.Join("\n", change.Operations));
            Assert.True(firstRemovalStage == -1 || entryStage < firstRemovalStage, string.Join("\n", change.Operations));
        }
    }

    [Fact]
    public void Addresses_that_are_not_IPv4_are_refused_by_the_layout()
    {
        var error = Assert.Throws<ArgumentException>(() => SocketLbLayout.ServiceKey(IPAddress.IPv6Loopback, 80, Protocol.TCP));
        Assert.Contains("::1", error.Message, StringComparison.Ordinal);
    }

    private static readonly IPAddress LoadBalancerIP = IPAddress.Parse("198.18.5.10");
    private static readonly IPAddress ExternalIP = IPAddress.Parse("198.18.6.10");

    /// <summary><paramref name="port"/> as a LoadBalancer Service with NodePort 30080 and an externalIP.</summary>
    private static ServicePortPlan External(ServicePortPlan port) =>
        port with { NodePort = 30080, LoadBalancerIPs = new([LoadBalancerIP]), ExternalIPs = new([ExternalIP]) };

    private static ServicePortPlan Port(NodeServicePlan plan, string service, int port) => plan.Ports.Single(p => p.Id.Service == service && p.Port == port);

    /// <summary><paramref name="port"/> as the <paramref name="copy"/>th Service of its name, with its own ClusterIP, and external addresses on every third.</summary>
    private static ServicePortPlan Copy(ServicePortPlan port, int copy)
    {
        var bytes = port.ClusterIP.GetAddressBytes();
        bytes[2] = (byte)(bytes[2] + copy + 1);
        var copied = port with { Id = port.Id with { Service = $"{port.Id.Service}-{copy}" }, ClusterIP = new IPAddress(bytes) };
        return copy % 3 == 0 ? External(copied) with { NodePort = 30000 + copy } : copied;
    }

    /// <summary>
    /// A fresh state's full change spelled out one write at a time with the layout's byte arrays: ids handed out in plan
    /// order, then namespaces, slots, members, <c>services</c> entries, <c>nodeports</c> entries, as the state groups
    /// them.
    /// </summary>
    private static List<string> Reference(NodeServicePlan plan, IReadOnlySet<ulong> namespaces)
    {
        var (backends, members, services, externals) = (new List<SocketLbOperation>(), new List<SocketLbOperation>(), new List<SocketLbOperation>(), new List<SocketLbOperation>());
        var id = 0u;
        foreach (var port in plan.Ports)
        {
            foreach (var (groupId, service) in SocketLbState.RenderAll(port, plan.NodeAddress))
            {
                id++;
                var slots = new Dictionary<SocketLbBackend, int>();
                for (var slot = 0; slot < service.Backends.Count; slot++)
                {
                    backends.Add(new(SocketLbMap.Backends, SocketLbLayout.BackendKey(id, slot), SocketLbLayout.BackendValue(service.Backends[slot])));
                    if (slots.TryAdd(service.Backends[slot], slot))
                    {
                        members.Add(new(SocketLbMap.Members, SocketLbLayout.MemberKey(id, service.Backends[slot]), SocketLbLayout.MemberValue(slot)));
                    }
                }

                var flags = (byte)((service.Reject ? SocketLbLayout.RejectFlag : 0) | (service.AffinitySeconds is null ? 0 : SocketLbLayout.AffinityFlag) | (service.Masquerade is null ? 0 : SocketLbLayout.MasqueradeFlag));
                var outside = groupId.Traffic == SocketLbTraffic.ExternalOutside;
                foreach (var key in service.Frontends.Select(f => SocketLbLayout.ServiceKey(f.Address, f.Port, service.Protocol)).DistinctBy(Convert.ToHexString))
                {
                    (outside ? externals : services).Add(outside
                        ? new(SocketLbMap.External, key, SocketLbLayout.ExternalValue(id, service.Backends.Count, flags, service.AffinitySeconds ?? 0, service.Masquerade))
                        : new(SocketLbMap.Services, key, SocketLbLayout.ServiceValue(id, service.Backends.Count, flags, service.AffinitySeconds ?? 0)));
                }
            }
        }

        var added = namespaces.Order().Select(c => new SocketLbOperation(SocketLbMap.Namespaces, SocketLbLayout.NamespaceKey(c), SocketLbLayout.NamespaceValue()));
        return [.. added.Concat(backends).Concat(members).Concat(services).Concat(externals).Select(o => o.ToString())];
    }

    private static int Count(SocketLbChange change, SocketLbMap map) => change.Operations.Count(o => o.Map == map);
}
