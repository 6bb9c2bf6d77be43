using System.Text.Json.Nodes;
using Maille.TestKit;

namespace Maille.Cli.Tests;

/// <summary>
/// <c>trace</c> and <c>matrix</c> name the tier, priority, policy and rule that decided, over the example
/// examples/netpol-playground/scenarios/cluster-network-policy-tiers.yaml (see docs/cluster-network-policy.md).
/// </summary>
public sealed class ClusterNetworkPolicyCommandTests
{
    private static readonly string Pods = Path.Combine(Cluster.RepositoryRoot, "examples", "netpol-playground", "pods.yaml");
    private static readonly string Tiers = Path.Combine(Cluster.RepositoryRoot, "examples", "netpol-playground", "scenarios", "cluster-network-policy-tiers.yaml");

    [Fact]
    public void Trace_json_names_the_Admin_tier_rule_that_denied_egress()
    {
        var (code, stdout, stderr) = CliRunner.Run("trace", "-f", Pods, "-f", Tiers, "--from", "x/a", "--to", "z/b:81", "-o", "json");

        Assert.True(code == 0, stderr);
        var json = JsonNode.Parse(stdout)!;
        Assert.Equal("denied", json["verdict"]!.GetValue<string>());
        var egress = json["hops"]!.AsArray().Single(h => h!["stage"]!.GetValue<string>() == "egress-policy")!;
        Assert.Equal(
            """{"tier":"Admin","allowed":false,"priority":10,"policy":"guard-z","rule":0,"ruleName":"no-z-81","action":"Deny","passedBy":null}""",
            egress["decision"]!.ToJsonString());
    }

    [Fact]
    public void Trace_text_says_a_Pass_went_on_and_the_Baseline_tier_denied()
    {
        var passed = CliRunner.Run("trace", "-f", Pods, "-f", Tiers, "--from", "x/a", "--to", "y/b:80");
        var baseline = CliRunner.Run("trace", "-f", Pods, "-f", Tiers, "--from", "y/a", "--to", "z/b:80");

        Assert.Contains("egress: passed by Admin tier priority 10 guard-z egress rule 1 \"x-to-y-is-y-s-business\" (Pass) peer 0 any port; not isolated", passed.Stdout, StringComparison.Ordinal);
        Assert.Contains("ingress: not isolated; denied by Baseline tier priority 0 default ingress rule 0 \"nothing-from-y\" (Deny) peer 0 any port", baseline.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Matrix_json_gives_each_side_its_tier()
    {
        var (code, stdout, stderr) = CliRunner.Run("matrix", "-f", Pods, "-f", Tiers, "--port", "80", "-o", "json");

        Assert.True(code == 0, stderr);
        var cell = JsonNode.Parse(stdout)!["connections"]!.AsArray()
            .Single(c => c!["from"]!.GetValue<string>() == "y/a" && c["to"]!.GetValue<string>() == "z/b")!;
        Assert.False(cell["allowed"]!.GetValue<bool>());
        Assert.Equal(("Default", "Baseline", "default"), (cell["egress"]!["tier"]!.GetValue<string>(), cell["ingress"]!["tier"]!.GetValue<string>(), cell["ingress"]!["policy"]!.GetValue<string>()));
    }

    [Fact]
    public void Get_cnp_lists_the_policies_in_evaluation_order_with_tier_priority_subject_and_rules()
    {
        var (code, stdout, stderr) = CliRunner.Run("get", "cnp", "-f", Pods, "-f", Tiers);

        Assert.True(code == 0, stderr);
        var lines = stdout.TrimEnd().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^NAME\s+TIER\s+PRIORITY\s+SUBJECT\s+RULES\s+AGE$", lines[0]);
        Assert.Matches(@"^guard-z\s+Admin\s+10\s+namespaces: <all>\s+0 ingress, 2 egress\s+<unknown>$", lines[1]);
        Assert.Matches(@"^default\s+Baseline\s+0\s+namespaces: ns=z\s+1 ingress, 0 egress\s+<unknown>$", lines[2]);
    }

    [Fact]
    public void Get_clusternetworkpolicy_by_name_as_yaml_is_the_v1alpha2_object_and_json_lists_every_policy()
    {
        var yaml = CliRunner.Run("get", "clusternetworkpolicy", "guard-z", "-o", "yaml", "-f", Pods, "-f", Tiers);
        var json = CliRunner.Run("get", "clusternetworkpolicies.policy.networking.k8s.io", "-o", "json", "-f", Pods, "-f", Tiers);

        Assert.True(yaml.ExitCode == 0, yaml.Stderr);
        Assert.StartsWith("apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\n", yaml.Stdout, StringComparison.Ordinal);
        Assert.Contains("  tier: Admin\n", yaml.Stdout, StringComparison.Ordinal);
        Assert.Contains("  - action: Pass\n    name: x-to-y-is-y-s-business\n", yaml.Stdout, StringComparison.Ordinal);
        var items = JsonNode.Parse(json.Stdout)!["items"]!.AsArray();
        Assert.Equal(["default", "guard-z"], items.Select(i => (string)i!["metadata"]!["name"]!).Order(StringComparer.Ordinal));
        Assert.Equal("Deny", (string?)items.Single(i => (string)i!["metadata"]!["name"]! == "default")!["spec"]!["ingress"]![0]!["action"]);
    }

    [Fact]
    public void Get_cnp_of_a_missing_name_is_NotFound_as_kubectl_says_it()
    {
        var (code, _, stderr) = CliRunner.Run("get", "cnp", "nope", "-f", Pods, "-f", Tiers);

        Assert.Equal(1, code);
        Assert.Contains("Error from server (NotFound): clusternetworkpolicies.policy.networking.k8s.io \"nope\" not found", stderr, StringComparison.Ordinal);
    }
}
