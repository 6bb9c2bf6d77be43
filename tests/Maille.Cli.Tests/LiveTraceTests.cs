using System.Text.Json.Nodes;
using Maille.Dataplane.Nftables;
using Maille.Engine.NetworkPolicies;
using Maille.Engine.Trace;
using Maille.Lab.Api;
using Maille.Lab.Policy;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Cli.Tests;

// The policy part of `maille trace --lab`, without a daemon or a kernel: each node's table is rendered from its plan
// and walked by the C# tracer, exactly what the daemon does with the tables its enforcers applied; then the CLI compares
// it with the engine and prints it. IP plan (examples/netpol-playground): x/a 198.19.1.2 on node-1, the b pods on node-2.
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LiveTraceTests
{
    private static readonly string Pods = Fixtures.PlaygroundPods;

    private const string DenyAllInX = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-all, namespace: x}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n---\n";

    private const string AllowYOn80 = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: allow-y, namespace: x}\nspec:\n  podSelector: {matchLabels: {pod: a}}\n  ingress:\n  - from: [{namespaceSelector: {matchLabels: {ns: y}}}]\n    ports: [{port: 80}]\n---\n";

    [Fact]
    public void An_allowed_connection_names_each_nodes_walk_the_policy_rule_and_the_chain_rule_and_agrees_with_the_engine()
    {
        var (text, json) = Trace(DenyAllInX + AllowYOn80, DenyAllInX + AllowYOn80, "y/b", "x/a:80");

        Assert.Contains("  NetworkPolicy to x/a 198.19.1.2:80:\n    node-2 (table ip maille-policy, 198.19.2.3 → 198.19.1.2:80/tcp): accepted\n", text, StringComparison.Ordinal);
        Assert.Contains("      egress of y/b: not isolated\n    node-1 (table ip maille-policy, 198.19.2.3 → 198.19.1.2:80/tcp): accepted\n", text, StringComparison.Ordinal);
        Assert.Matches(@"\n      ingress of x/a: allowed by x/allow-y ingress rule 0 port 0 at ingress-[0-9a-f]+#\d+\n    live: allowed, as the engine predicts\n", text);
        Assert.DoesNotContain("DISAGREEMENT", text, StringComparison.Ordinal);

        var endpoint = json["policy"]!.AsArray().Single()!;
        Assert.Equal("x/a", (string?)endpoint["pod"]);
        Assert.True((bool)endpoint["agreesWithEngine"]!);
        var ingress = endpoint["walks"]![1]!["ingress"]!;
        Assert.Equal("x/allow-y", (string?)ingress["policy"]);
        Assert.Equal(0, (int)ingress["ruleIndex"]!);
        Assert.StartsWith((string)ingress["chain"]! + "#", (string?)ingress["nftables"], StringComparison.Ordinal);
        Assert.Empty(json["disagreements"]!.AsArray());
    }

    [Fact]
    public void A_denied_connection_names_the_isolating_policies_and_the_rule_that_rejected_it()
    {
        var (text, json) = Trace(DenyAllInX + AllowYOn80, DenyAllInX + AllowYOn80, "z/b", "x/a:80");

        Assert.Matches(@"node-1 \(table ip maille-policy, 198\.19\.2\.4 → 198\.19\.1\.2:80/tcp\): rejected\n(      .*\n)*      ingress of x/a: denied at ingress-[0-9a-f]+#\d+: no rule of x/allow-y, x/deny-all allows it\n    live: denied, as the engine predicts\n", text);
        var walk = json["policy"]![0]!["walks"]![1]!;
        Assert.Equal((string?)walk["decision"], (string?)walk["ingress"]!["nftables"]);
        Assert.Null(walk["ingress"]!["policy"]);
        Assert.Equal(["x/allow-y", "x/deny-all"], walk["ingress"]!["isolatedBy"]!.AsArray().Select(p => (string)p!));
    }

    [Fact]
    public void When_the_live_rules_and_the_engine_disagree_the_trace_says_so_plainly()
    {
        // The engine plans the deny; the tables walked are those of a lab without it.
        var (text, json) = Trace(DenyAllInX, "", "y/b", "x/a:80");

        Assert.Contains("    DISAGREEMENT: x/a 198.19.1.2:80: the engine predicts denied (x/deny-all ingress: no rule allows it), but the live rules let it through\n", text, StringComparison.Ordinal);
        Assert.False((bool)json["policy"]![0]!["agreesWithEngine"]!);
        Assert.Single(json["disagreements"]!.AsArray());
    }

    [Fact]
    public void A_ClusterNetworkPolicy_Deny_names_the_tier_priority_policy_and_rule_as_offline_trace_does_with_the_rule_s_counter()
    {
        var tiers = File.ReadAllText(Path.Combine(Cluster.RepositoryRoot, "examples", "netpol-playground", "scenarios", "cluster-network-policy-tiers.yaml"));
        var asked = new List<(string Node, string Counter)>();
        ClusterRuleCount? Counter(string node, ClusterRuleId rule)
        {
            asked.Add((node, PolicyCounterNames.Of(rule)));
            return new ClusterRuleCount(rule, "no-z-81", ClusterPolicyAction.Deny, 7, 420);
        }

        var (text, json) = Trace(tiers, tiers, "x/a", "z/b:81", Counter);

        Assert.Matches(@"\n      egress of x/a: denied by Admin tier priority 10 guard-z egress rule 0 ""no-z-81"" \(Deny\) port 0 at admin-egress-[0-9a-f]+#\d+\n        counter cnp-guard-z-egress-0 on node-1: 7 packets, 420 bytes\n", text);
        Assert.Contains("    live: denied, as the engine predicts\n", text, StringComparison.Ordinal);
        var egress = json["policy"]![0]!["walks"]![0]!["egress"]!;
        Assert.Equal(
            """{"tier":"Admin","allowed":false,"priority":10,"policy":"guard-z","rule":0,"ruleName":"no-z-81","action":"Deny","passedBy":null}""",
            egress["decision"]!.ToJsonString());
        Assert.Equal("""{"name":"cnp-guard-z-egress-0","node":"node-1","packets":7,"bytes":420}""", egress["counter"]!.ToJsonString());
        Assert.Equal([("node-1", "cnp-guard-z-egress-0")], asked);
        Assert.Equal(["guard-z"], egress["isolatedBy"]!.AsArray().Select(p => (string)p!));
    }

    [Fact]
    public void A_Baseline_Deny_and_a_Pass_that_reaches_the_default_are_named_per_direction()
    {
        var tiers = File.ReadAllText(Path.Combine(Cluster.RepositoryRoot, "examples", "netpol-playground", "scenarios", "cluster-network-policy-tiers.yaml"));

        var (baselineText, baseline) = Trace(tiers, tiers, "y/a", "z/b:80");
        var (passedText, passed) = Trace(tiers, tiers, "x/a", "y/b:80");

        Assert.Matches(@"\n      ingress of z/b: denied by Baseline tier priority 0 default ingress rule 0 ""nothing-from-y"" \(Deny\) any port at baseline-ingress-[0-9a-f]+#\d+\n        counter cnp-default-ingress-0 on node-2: not read\n", baselineText);
        var ingress = baseline["policy"]![0]!["walks"]!.AsArray().Single(w => (string?)w!["node"] == "node-2")!["ingress"]!;
        Assert.Equal(("Baseline", "default", "nothing-from-y"), ((string)ingress["decision"]!["tier"]!, (string)ingress["decision"]!["policy"]!, (string)ingress["decision"]!["ruleName"]!));
        Assert.Matches(@"\n      egress of x/a: passed by Admin tier priority 10 guard-z egress rule 1 ""x-to-y-is-y-s-business"" \(Pass\) any port; no ClusterNetworkPolicy rule decides: allowed by default at admin-egress-[0-9a-f]+#\d+\n", passedText);
        var egress = passed["policy"]![0]!["walks"]![0]!["egress"]!;
        Assert.Equal(("Default", true), ((string)egress["decision"]!["tier"]!, (bool)egress["decision"]!["allowed"]!));
        Assert.Equal("Admin tier priority 10 guard-z egress rule 1 \"x-to-y-is-y-s-business\" (Pass) any port", (string?)egress["decision"]!["passedBy"]);
        Assert.Null(egress["counter"]);
        Assert.DoesNotContain("DISAGREEMENT", baselineText + passedText, StringComparison.Ordinal);
    }

    /// <summary>
    /// Traces <paramref name="from"/> → <paramref name="to"/> with the engine over the playground and
    /// <paramref name="predicted"/>, and walks the tables the nodes would apply for <paramref name="applied"/>.
    /// </summary>
    private static (string Text, JsonNode Json) Trace(string predicted, string applied, string from, string to, Func<string, ClusterRuleId, ClusterRuleCount?>? counter = null)
    {
        var engine = Cluster.Valid(Pods + "\n---\n" + predicted);
        var live = Cluster.Valid(Pods + "\n---\n" + applied);
        var plans = live.Nodes.ToDictionary(n => n.Name, n => NodePolicyPlanner.Plan(live, n.Name), StringComparer.Ordinal);
        var tables = plans.ToDictionary(p => p.Key, p => PolicyRulesetBuilder.Build(p.Value, PolicyDeniedAction.Reject), StringComparer.Ordinal);
        PolicyWalk Walk(PolicyCrossing crossing, int port)
        {
            var table = tables[crossing.Node];
            var trace = new NftPacketTracer(table).TraceFilter("forward", new NftTracePacket(crossing.Source, crossing.Destination, "tcp", port, NftIngress.Pod));
            return PolicyWalkReader.Read(plans[crossing.Node], table.Chains.Where(c => c.Hook is not null).Select(c => c.Name).ToHashSet(), trace, crossing.Source, crossing.Destination, "tcp", port);
        }

        var source = engine.PodsByName[from];
        var target = TraceTarget.TryParse(to, engine.Config.DnsDomain, out _)!;
        var destination = engine.PodsByName[$"{target.Namespace}/{target.PodName}"].Status.PodIP!;
        var services = new NftTraceResult(NftTraceVerdict.NotTranslated, EquatableArray<NftTraceTarget>.Empty, EquatableArray<NftTraceStep>.Empty, null);
        var nftables = new JsonObject
        {
            ["node"] = source.Spec.NodeName,
            ["table"] = "ip maille-svc",
            ["verdict"] = "nottranslated",
            ["steps"] = new JsonArray(),
            ["targets"] = new JsonArray(),
            ["policy"] = PolicyWalkJson.Render(plans, Walk, source.Spec.NodeName!, NftIngress.Pod, source.Status.PodIP!, destination, target.Port, services, counter),
        };
        LiveTrace.Compare(nftables, Tracer.For(engine).Trace(new TraceSource(source, source.Status.PodIP!), target));
        var text = new StringWriter();
        LiveTrace.WriteText(text, nftables);
        return (text.ToString().Replace("\r\n", "\n", StringComparison.Ordinal), nftables);
    }
}
