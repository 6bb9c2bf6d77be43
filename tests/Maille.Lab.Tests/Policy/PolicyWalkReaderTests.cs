using Maille.Lab.Policy;
using Maille.Model;

namespace Maille.Lab.Tests.Policy;

// IP plan (examples/netpol-playground, default ClusterConfig): node-1..3 at 198.18.0.11-13; pods a on node-1
// (x/a 198.19.1.2, y/a .3, z/a .4), b on node-2, c on node-3. No kernel: each node's table is rendered from its plan and
// walked by the C# tracer, then read as the live trace reads an enforcer's walk.
public sealed class PolicyWalkReaderTests
{
    private static readonly string DenyAllInX = PlannedTables.Policy("x", "deny-all", "podSelector: {}\npolicyTypes: [Ingress]");

    private static readonly string AllowYOn80 = PlannedTables.Policy("x", "allow-y", "podSelector: {matchLabels: {pod: a}}\ningress:\n- from: [{namespaceSelector: {matchLabels: {ns: y}}}]\n  ports: [{port: 81}, {port: 80}]");

    private static readonly string XaEgressToY = PlannedTables.Policy("x", "to-y", "podSelector: {matchLabels: {pod: a}}\npolicyTypes: [Egress]\negress:\n- to: [{namespaceSelector: {matchLabels: {ns: y}}}]");

    private static readonly string DenyAllInZ = PlannedTables.Policy("z", "deny-all", "podSelector: {}\npolicyTypes: [Ingress]");

    [Fact]
    public void An_allowed_ingress_names_the_policy_rule_and_port_entry_and_the_rule_of_its_chain_that_let_it_through()
    {
        var tables = new PlannedTables(DenyAllInX + AllowYOn80);

        var walk = tables.Walk("node-1", "y/b", "x/a", 80);

        Assert.True(walk.Allowed);
        Assert.Equal("accepted", walk.Verdict);
        Assert.Null(walk.Egress);   // y/b is not a pod of node-1: its egress is decided on node-2
        var ingress = Assert.IsType<PolicyWalkSide>(walk.Ingress);
        Assert.Equal(PolicyWalkOutcome.Allowed, ingress.Live);
        Assert.Equal("x/a", ingress.Pod);
        Assert.Equal("x/allow-y ingress rule 0", ingress.AllowedBy!.Rule.ToString());
        Assert.Equal(1, ingress.AllowedBy.PortIndex);   // ports[1] is 80
        Assert.Equal(ingress.Chain, ingress.DecidedAt!.Chain);
        Assert.Contains(ingress.DecidedAt, walk.Trace.Steps);
        Assert.Equal(["x/allow-y", "x/deny-all"], ingress.IsolatedBy.Order());
        Assert.True(walk.Agrees);
        Assert.StartsWith("ingress of x/a: allowed by x/allow-y ingress rule 0 port 1 at " + ingress.Chain + "#", ingress.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_denied_ingress_names_the_isolating_policies_and_the_rule_that_ended_the_packet()
    {
        var tables = new PlannedTables(DenyAllInX + AllowYOn80);

        var walk = tables.Walk("node-1", "z/b", "x/a", 80);

        Assert.False(walk.Allowed);
        Assert.Equal("rejected", walk.Verdict);
        var ingress = walk.Ingress!;
        Assert.Equal(PolicyWalkOutcome.Denied, ingress.Live);
        Assert.Equal(walk.Trace.Decision, ingress.DecidedAt);
        Assert.Equal(ingress.Chain, ingress.DecidedAt!.Chain);
        Assert.Null(ingress.AllowedBy);
        Assert.False(ingress.PlanAllows);
        Assert.True(walk.Agrees);
        Assert.EndsWith(": no rule of x/allow-y, x/deny-all allows it", ingress.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void On_one_node_egress_is_decided_first_and_a_denied_egress_leaves_the_ingress_not_reached()
    {
        var tables = new PlannedTables(XaEgressToY + DenyAllInZ);

        var walk = tables.Walk("node-1", "x/a", "z/a", 80);   // both on node-1

        Assert.Equal(PolicyWalkOutcome.Denied, walk.Egress!.Live);
        Assert.Equal("x/a", walk.Egress.Pod);
        Assert.Equal(["x/to-y"], walk.Egress.IsolatedBy);
        Assert.Equal(PolicyWalkOutcome.NotReached, walk.Ingress!.Live);
        Assert.Equal("z/a", walk.Ingress.Pod);
        Assert.True(walk.Agrees);

        var allowed = tables.Walk("node-1", "x/a", "y/a", 81);
        Assert.Equal(PolicyWalkOutcome.Allowed, allowed.Egress!.Live);
        Assert.Equal("x/to-y egress rule 0", allowed.Egress.AllowedBy!.Rule.ToString());
        Assert.Null(allowed.Egress.AllowedBy.PortIndex);   // a rule without ports
        Assert.Equal(PolicyWalkOutcome.NotIsolated, allowed.Ingress!.Live);
        Assert.Null(allowed.Ingress.DecidedAt);
    }

    [Fact]
    public void Egress_and_ingress_on_one_node_are_each_named_with_their_own_rule()
    {
        var tables = new PlannedTables(XaEgressToY + PlannedTables.Policy("y", "from-x", "podSelector: {}\ningress:\n- from: [{namespaceSelector: {matchLabels: {ns: x}}}]"));

        var walk = tables.Walk("node-1", "x/a", "y/a", 80);

        Assert.True(walk.Allowed);
        Assert.Equal("x/to-y egress rule 0", walk.Egress!.AllowedBy!.Rule.ToString());
        Assert.Equal("y/from-x ingress rule 0", walk.Ingress!.AllowedBy!.Rule.ToString());
        Assert.Equal(walk.Egress.Chain, walk.Egress.DecidedAt!.Chain);
        Assert.Equal(walk.Ingress.Chain, walk.Ingress.DecidedAt!.Chain);
        Assert.NotEqual(walk.Egress.Chain, walk.Ingress.Chain);
    }

    [Fact]
    public void A_pod_reaching_itself_is_allowed_before_any_policy()
    {
        var tables = new PlannedTables(DenyAllInX);

        var walk = tables.Walk("node-1", "x/a", "x/a", 80);

        Assert.True(walk.Hairpin);
        Assert.True(walk.Allowed);
        Assert.Null(walk.Egress);
        Assert.Null(walk.Ingress);
    }

    [Fact]
    public void A_table_that_disagrees_with_the_plan_it_is_read_with_is_reported_not_explained_away()
    {
        var denying = new PlannedTables(DenyAllInX);
        var open = new PlannedTables("");

        // The table denies y/b → x/a; the plan (no policy) says x/a is not isolated.
        var walk = denying.Walk("node-1", "y/b", "x/a", 80, plan: open.Plans["node-1"]);

        Assert.False(walk.Allowed);
        Assert.True(walk.PlanAllows);
        Assert.False(walk.Agrees);

        // The other way round: the plan isolates x/a, the table never enters a chain for it.
        var unenforced = open.Walk("node-1", "y/b", "x/a", 80, plan: denying.Plans["node-1"]);
        Assert.True(unenforced.Allowed);
        Assert.Equal(PolicyWalkOutcome.NotEntered, unenforced.Ingress!.Live);
        Assert.False(unenforced.Agrees);
        Assert.Contains("never entered its chain", unenforced.Ingress.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_protocol_is_refused()
    {
        var tables = new PlannedTables("");
        Assert.Throws<ArgumentException>(() => tables.Walk("node-1", "y/b", "x/a", 0, "icmp"));
    }

    [Fact]
    public void Udp_is_judged_as_udp()
    {
        var tables = new PlannedTables(DenyAllInX + PlannedTables.Policy("x", "udp-only", "podSelector: {}\ningress:\n- ports: [{protocol: UDP, port: 80}]"));

        Assert.Equal("x/udp-only ingress rule 0", tables.Walk("node-1", "z/b", "x/a", 80, "udp").Ingress!.AllowedBy!.Rule.ToString());
        Assert.Equal(PolicyWalkOutcome.Denied, tables.Walk("node-1", "z/b", "x/a", 80, "tcp").Ingress!.Live);
        Assert.Equal(PolicyDirection.Ingress, tables.Walk("node-1", "z/b", "x/a", 80, "udp").Ingress!.Direction);
    }
}
