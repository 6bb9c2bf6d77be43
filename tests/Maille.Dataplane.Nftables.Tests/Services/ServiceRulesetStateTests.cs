using Maille.Engine;
using Maille.Engine.ServiceProxy;
using Maille.TestKit;

namespace Maille.Dataplane.Nftables.Tests.Services;

// Incremental sync, no kernel: a partial change followed by the state's own view of the table must equal a full
// render of the new plan, and must write only what the changed Service ports own.
public sealed class ServiceRulesetStateTests
{
    private static readonly string EveryKindYaml = EveryKindCase.Yaml;

    private static readonly string WithoutWebB = EveryKindCase.WithoutWebB;

    private static ClusterState Plan(string yaml) => EveryKindCase.Plan(yaml);

    [Theory]
    [InlineData("node-1")]
    [InlineData("node-2")]
    public void A_partial_sync_leaves_the_same_table_as_a_full_render_both_ways(string node)
    {
        var before = ServiceProxyPlanner.Plan(Plan(EveryKindYaml), node);
        var after = ServiceProxyPlanner.Plan(Plan(WithoutWebB), node);
        var state = new ServiceRulesetState();
        state.Commit(state.Prepare(before));

        var change = state.Prepare(after);
        state.Commit(change);
        Assert.False(change.Full);
        Assert.Equal(Normalise(ServiceRulesetBuilder.Build(after)), Normalise(state.Ruleset()));

        state.Commit(state.Prepare(before));
        Assert.Equal(Normalise(ServiceRulesetBuilder.Build(before)), Normalise(state.Ruleset()));
    }

    [Fact]
    public void In_the_ebpf_data_plane_the_table_drops_ClusterIPs_and_keeps_of_the_external_addresses_only_rejects_and_source_ranges()
    {
        var plan = ServiceProxyPlanner.Plan(Plan(EveryKindYaml), "node-1");
        var atSocket = plan with { ClusterIPAtSocket = true };

        var perPacket = ServiceRulesetBuilder.Build(plan).Sets.Single(s => s.Name == ServiceRulesetBuilder.ServiceIps).Elements;
        var elements = ServiceRulesetBuilder.Build(atSocket).Sets.Single(s => s.Name == ServiceRulesetBuilder.ServiceIps).Elements;

        var clusterKeys = plan.Ports.Where(p => p.KernelSupported).Select(p => $"{p.ClusterIP} . {p.Protocol.ToString().ToLowerInvariant()} . {p.Port}").ToHashSet();
        Assert.NotEmpty(clusterKeys);
        Assert.All(elements.Where(e => clusterKeys.Contains(e.Key)), e => Assert.Equal(NftVerdict.Drop, e.Verdict));
        Assert.Equal(clusterKeys.Count, elements.Count(e => clusterKeys.Contains(e.Key)));

        // External addresses: the tc program and the socket hooks translate those with endpoints; the table keeps the
        // rejects of ports without any, and the LoadBalancer IPs whose loadBalancerSourceRanges it enforces.
        var ranged = plan.Ports.Where(p => p.KernelSupported && !p.SourceRanges.IsEmpty)
            .SelectMany(p => p.LoadBalancerIPs.Select(a => $"{a} . {p.Protocol.ToString().ToLowerInvariant()} . {p.Port}")).ToHashSet();
        var external = perPacket.Where(e => !clusterKeys.Contains(e.Key)).ToList();
        var kept = external.Where(e => e.Verdict == NftVerdict.Goto(ServiceRulesetBuilder.RejectChain) || ranged.Contains(e.Key)).ToList();
        Assert.Equal(kept, elements.Where(e => !clusterKeys.Contains(e.Key)));
        Assert.NotEmpty(kept);
        Assert.True(kept.Count < external.Count, $"{kept.Count} of {external.Count} external elements kept");
    }

    [Fact]
    public void Nothing_changed_means_an_empty_transaction()
    {
        var plan = ServiceProxyPlanner.Plan(Plan(EveryKindYaml), "node-1");
        var state = new ServiceRulesetState();
        state.Commit(state.Prepare(plan));

        var change = state.Prepare(ServiceProxyPlanner.Plan(Plan(EveryKindYaml), "node-1"));

        Assert.Equal(0, change.CommandCount);
        Assert.Empty(change.Updates);
    }

    [Fact]
    public void A_changed_Service_rewrites_only_its_own_elements()
    {
        var cluster = Plan(EveryKindYaml);
        var state = new ServiceRulesetState();
        state.Commit(state.Prepare(ServiceProxyPlanner.Plan(cluster, "node-1")));
        var changed = Plan(EveryKindYaml.Replace("metadata: {name: sick-published, namespace: app}\nspec:\n  selector: {app: sick}",
            "metadata: {name: sick-published, namespace: app}\nspec:\n  selector: {app: nobody}", StringComparison.Ordinal));

        var change = state.Prepare(ServiceProxyPlanner.Plan(changed, "node-1"));

        var clusterIP = cluster.ServicesByName["app/sick-published"].ClusterIP!.ToString();
        var lines = change.Script.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["app/sick-published/tcp/http"], change.Updates.Select(u => u.Id.ToString()));
        Assert.Equal(
            [
                $"add element ip maille-svc service-ips {{ {clusterIP} . tcp . 80 : goto reject-chain }}",
                $"delete element ip maille-svc internal-endpoints-1 {{ {clusterIP} . tcp . 80 . 0 }}",
                $"delete element ip maille-svc service-ips {{ {clusterIP} . tcp . 80 }}",
            ],
            lines.Order(StringComparer.Ordinal));
        Assert.StartsWith("delete", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_port_that_needs_a_new_chain_gets_it_whole_in_a_transaction_before_anything_points_at_it()
    {
        var before = EveryKindCase.WithBulkPorts(ServiceProxyPlanner.Plan(Plan(EveryKindYaml), "node-1"), 1);
        var after = EveryKindCase.WithEndpoints(before, 7);   // no port has 7 endpoints: a new shared chain and its map
        var state = new ServiceRulesetState();
        state.Commit(state.Prepare(before));

        var change = state.Prepare(after);

        Assert.False(change.Full);
        Assert.Equal(2, change.Steps.Count);
        var create = change.Steps[0].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var point = change.Steps[1].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("add chain ip maille-svc internal-7", create);
        Assert.Contains(create, line => line.StartsWith("add rule ip maille-svc internal-7 ", StringComparison.Ordinal));
        Assert.All(create, line => Assert.DoesNotContain("goto internal-7", line, StringComparison.Ordinal));
        Assert.Contains(point, line => line.StartsWith("add element ip maille-svc service-ips ", StringComparison.Ordinal) && line.Contains("goto internal-7", StringComparison.Ordinal));
        Assert.DoesNotContain(point, line => line.StartsWith("add chain", StringComparison.Ordinal));
        Assert.Equal(change.Script, string.Concat(change.Steps));

        state.Commit(change);
        Assert.Equal(Normalise(ServiceRulesetBuilder.Build(after)), Normalise(state.Ruleset()));
    }

    [Fact]
    public void A_change_of_elements_only_is_one_transaction()
    {
        var before = EveryKindCase.WithBulkPorts(ServiceProxyPlanner.Plan(Plan(EveryKindYaml), "node-1"), 2);
        var state = new ServiceRulesetState();
        state.Commit(state.Prepare(before));

        var change = state.Prepare(before with { Ports = new(before.Ports.Where(p => p.Id.Service != "svc-0001")) });

        Assert.Single(change.Steps);
        Assert.All(change.Steps[0].Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.StartsWith("delete element", line, StringComparison.Ordinal));
    }

    [Fact]
    public void Endpoints_leaving_a_UDP_port_are_reported_for_every_address_that_captured_them()
    {
        var state = new ServiceRulesetState();
        state.Commit(state.Prepare(ServiceProxyPlanner.Plan(Plan(EveryKindYaml), "node-1")));

        var change = state.Prepare(ServiceProxyPlanner.Plan(Plan(WithoutWebB), "node-1"));

        var web = Plan(EveryKindYaml);
        Assert.Equal(
            [new StaleUdpFlow(web.ServicesByName["app/web"].ClusterIP!, 53, web.PodsByName["app/web-b"].Status.PodIP!)],
            change.StaleUdpFlows);
    }

    [Fact]
    public void A_node_wide_change_rewrites_the_whole_table()
    {
        var cluster = Plan(EveryKindYaml);
        var state = new ServiceRulesetState();
        var plan = ServiceProxyPlanner.Plan(cluster, "node-1");
        state.Commit(state.Prepare(plan));

        var change = state.Prepare(plan with { ServiceCidr = System.Net.IPNetwork.Parse("198.18.128.0/18") });

        Assert.True(change.Full);
        Assert.StartsWith("add table ip maille-svc\ndelete table ip maille-svc\n", change.Script, StringComparison.Ordinal);
    }

    /// <summary>Sets with sorted elements and chains, by name: the table's content whatever the order things were added in.</summary>
    private static string Normalise(NftRuleset ruleset) => string.Join("\n",
        ruleset.Sets.OrderBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => $"set {s.Name} {s.Declaration}: {string.Join(", ", s.Elements.Select(e => e.Text).Order(StringComparer.Ordinal))}")
            .Concat(ruleset.Chains.OrderBy(c => c.Name, StringComparer.Ordinal)
                .Select(c => $"chain {c.Name} {c.Hook?.Text}: {string.Join(" ; ", c.Rules.Select(r => r.Text))}")));
}
