using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Maille.Model;
using Maille.TestKit;
using static Maille.TestKit.ClusterNetworkPolicyBuilder;

namespace Maille.Kube.Tests.Validation;

/// <summary>
/// ClusterNetworkPolicy (v1alpha2) as its CRD validates it, one test per kind of error, each reported with file, line,
/// object and field; and the v1alpha1 kinds, read onto the same model with a note.
/// </summary>
public sealed partial class ClusterNetworkPolicyValidationTests
{
    private static readonly (string, string)[] Gryffindor = [("conformance-house", "gryffindor")];

    private static ClusterNetworkPolicyBuilder Valid() => Admin("p", 10)
        .SubjectNamespaces(Gryffindor)
        .Egress("deny-slytherin", ClusterPolicyAction.Deny, [Namespaces(("conformance-house", "slytherin"))], Port(Protocol.TCP, 80));

    /// <summary>The one error of <paramref name="yaml"/>, without its <c>file:line: </c> prefix.</summary>
    private static string OnlyError(string yaml) => Location().Replace(Assert.Single(Cluster.Errors(yaml)), "");

    [GeneratedRegex(@"^test\.yaml:\d+: ")]
    private static partial Regex Location();

    [Fact]
    public void A_valid_policy_loads_with_its_tier_priority_subject_and_rules_in_order()
    {
        var policy = Valid().Egress(null, ClusterPolicyAction.Pass, [Networks("198.18.0.0/15")], PortRange(Protocol.UDP, 5000, 5100), Port(Protocol.SCTP, 9003)).Build();

        Assert.Equal((ClusterPolicyTier.Admin, 10), (policy.Tier, policy.Priority));
        Assert.Equal(["deny-slytherin", null], policy.Egress.Select(r => r.Name));
        Assert.Equal([ClusterPolicyPort.Range(Protocol.UDP, 5000, 5100), ClusterPolicyPort.Number(Protocol.SCTP, 9003)], policy.Egress[1].Ports);
        Assert.Empty(Cluster.Errors(Valid().Yaml()));
    }

    [Fact]
    public void Errors_name_the_file_line_object_and_field()
    {
        var error = Assert.Single(Cluster.Errors(Valid().With("priority", 1001).Yaml()));

        // The builder writes one field per line: {, apiVersion, kind, metadata {, name, }, spec {, tier, then priority.
        Assert.Equal("test.yaml:9: ClusterNetworkPolicy p: spec.priority: Invalid value: 1001: spec.priority in body should be less than or equal to 1000", error);
    }

    [Fact]
    public void Tier_is_Admin_or_Baseline() =>
        Assert.Equal("ClusterNetworkPolicy p: spec.tier: Unsupported value: \"Middle\": supported values: \"Admin\", \"Baseline\"", OnlyError(Valid().With("tier", "Middle").Yaml()));

    [Fact]
    public void Priority_is_required_and_at_least_0()
    {
        Assert.Equal("ClusterNetworkPolicy p: spec.priority: Required value", OnlyError(Valid().With("priority", null).Yaml()));
        Assert.Equal("ClusterNetworkPolicy p: spec.priority: Invalid value: -1: spec.priority in body should be greater than or equal to 0", OnlyError(Valid().With("priority", -1).Yaml()));
    }

    [Fact]
    public void Subject_sets_exactly_one_of_namespaces_and_pods()
    {
        var both = new JsonObject { ["namespaces"] = new JsonObject(), ["pods"] = new JsonObject { ["podSelector"] = new JsonObject() } };

        Assert.Equal("ClusterNetworkPolicy p: spec.subject: Too many: 2: must have at most 1 items", OnlyError(Valid().With("subject", both).Yaml()));
        Assert.Equal("ClusterNetworkPolicy p: spec.subject: Invalid value: 0: spec.subject in body should have at least 1 properties", OnlyError(Valid().With("subject", new JsonObject()).Yaml()));
    }

    [Fact]
    public void At_most_25_rules_per_direction()
    {
        var policy = Valid();
        for (var i = 0; i < 25; i++)
        {
            policy.Egress(null, ClusterPolicyAction.Accept, [Namespaces()]);
        }

        Assert.Equal("ClusterNetworkPolicy p: spec.egress: Too many: 26: must have at most 25 items", OnlyError(policy.Yaml()));
    }

    [Fact]
    public void Action_is_Accept_Deny_or_Pass() =>
        Assert.Equal(
            "ClusterNetworkPolicy p: spec.ingress[0].action: Unsupported value: \"Allow\": supported values: \"Accept\", \"Deny\", \"Pass\"",
            OnlyError(Valid().With("ingress", JsonNode.Parse("""[{"action": "Allow", "from": [{"namespaces": {}}]}]""")).Yaml()));

    [Fact]
    public void A_rule_has_at_least_one_peer() =>
        Assert.Equal("ClusterNetworkPolicy p: spec.egress[0].to: Invalid value: 0: spec.egress[0].to in body should have at least 1 items", OnlyError(Admin("p", 1).SubjectNamespaces().Egress(null, ClusterPolicyAction.Deny, []).Yaml()));

    [Fact]
    public void A_peer_sets_exactly_one_field() =>
        Assert.Equal(
            "ClusterNetworkPolicy p: spec.egress[0].to[0]: Too many: 2: must have at most 1 items",
            OnlyError(Admin("p", 1).SubjectNamespaces().Egress(null, ClusterPolicyAction.Deny, [new JsonObject { ["namespaces"] = new JsonObject(), ["networks"] = new JsonArray("10.0.0.0/8") }]).Yaml()));

    [Fact]
    public void Ingress_peers_are_namespaces_or_pods_only() =>
        Assert.Equal(
            "ClusterNetworkPolicy p: spec.ingress[0].from[0]: Forbidden: unknown field: ingress peers select namespaces or pods only (nodes, networks and domainNames are egress peers)",
            OnlyError(Admin("p", 1).SubjectNamespaces().Ingress(null, ClusterPolicyAction.Deny, [Networks("10.0.0.0/8")]).Yaml()));

    [Fact]
    public void Networks_are_CIDRs() =>
        Assert.Equal(
            "ClusterNetworkPolicy p: spec.egress[0].to[0].networks[0]: Invalid value: \"10.0.0.0/33\": Invalid CIDR format provided",
            OnlyError(Admin("p", 1).SubjectNamespaces().Egress(null, ClusterPolicyAction.Deny, [Networks("10.0.0.0/33")]).Yaml()));

    [Fact]
    public void DomainNames_peers_are_refused_as_unsupported() =>
        Assert.Equal(
            "ClusterNetworkPolicy p: spec.egress[0].to[0].domainNames: Forbidden: domainNames peers are not supported by Maille yet (the lab's DNS server cannot feed the data plane the addresses it answers); use networks peers with the addresses instead",
            OnlyError(Admin("p", 1).SubjectNamespaces().Egress(null, ClusterPolicyAction.Accept, [new JsonObject { ["domainNames"] = new JsonArray("*.example.com") }]).Yaml()));

    [Fact]
    public void A_protocol_entry_sets_exactly_one_of_tcp_udp_sctp_and_destinationNamedPort() =>
        Assert.Equal(
            "ClusterNetworkPolicy p: spec.egress[0].protocols[0]: Too many: 2: must have at most 1 items",
            OnlyError(Admin("p", 1).SubjectNamespaces().Egress(null, ClusterPolicyAction.Deny, [Namespaces()], new JsonObject { ["destinationNamedPort"] = "web", ["tcp"] = Port(Protocol.TCP, 80)["tcp"]!.DeepClone() }).Yaml()));

    [Fact]
    public void A_port_number_is_in_1_to_65535() =>
        Assert.Equal(
            "ClusterNetworkPolicy p: spec.egress[0].protocols[0].udp.destinationPort.number: Invalid value: 65536: spec.egress[0].protocols[0].udp.destinationPort.number in body should be less than or equal to 65535",
            OnlyError(Admin("p", 1).SubjectNamespaces().Egress(null, ClusterPolicyAction.Deny, [Namespaces()], Port(Protocol.UDP, 65536)).Yaml()));

    [Fact]
    public void A_range_starts_below_its_end() =>
        Assert.Equal(
            "ClusterNetworkPolicy p: spec.egress[0].protocols[0].tcp.destinationPort.range: Invalid value: \"object\": Start port must be less than End port",
            OnlyError(Admin("p", 1).SubjectNamespaces().Egress(null, ClusterPolicyAction.Deny, [Namespaces()], PortRange(Protocol.TCP, 90, 90)).Yaml()));

    [Fact]
    public void A_named_port_cannot_go_with_networks_or_nodes_peers() =>
        Assert.Equal(
            "ClusterNetworkPolicy p: spec.egress[0]: Invalid value: \"object\": networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames",
            OnlyError(Admin("p", 1).SubjectNamespaces().Egress(null, ClusterPolicyAction.Deny, [Nodes()], NamedPort("web")).Yaml()));

    [Fact]
    public void A_v1alpha1_AdminNetworkPolicy_is_read_as_an_Admin_tier_policy_with_Allow_as_Accept_and_a_note()
    {
        var result = Cluster.Plan("""
            apiVersion: policy.networking.k8s.io/v1alpha1
            kind: AdminNetworkPolicy
            metadata:
              name: old
            spec:
              priority: 3
              subject: {namespaces: {}}
              ingress:
              - name: allow-all
                action: Allow
                from: [{namespaces: {}}]
                ports:
                - portNumber: {protocol: UDP, port: 53}
                - portRange: {start: 80, end: 90}
                - namedPort: web
            """);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var policy = Assert.Single(result.Cluster!.ClusterNetworkPolicies);
        Assert.Equal((ClusterPolicyTier.Admin, 3, PolicyApi.AdminNetworkPolicyKind), (policy.Tier, policy.Priority, policy.SourceKind));
        Assert.Equal(ClusterPolicyAction.Accept, policy.Ingress[0].Action);
        Assert.Equal([ClusterPolicyPort.Number(Protocol.UDP, 53), ClusterPolicyPort.Range(Protocol.TCP, 80, 90), ClusterPolicyPort.Named("web")], policy.Ingress[0].Ports);
        Assert.Contains(
            "test.yaml:1: AdminNetworkPolicy old: apiVersion: policy.networking.k8s.io/v1alpha1 AdminNetworkPolicy is read as a ClusterNetworkPolicy of the Admin tier (priority 3, Allow as Accept); v1alpha2 ClusterNetworkPolicy replaces it",
            result.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void A_v1alpha1_BaselineAdminNetworkPolicy_is_named_default_and_cannot_Pass()
    {
        var errors = Cluster.Errors("""
            apiVersion: policy.networking.k8s.io/v1alpha1
            kind: BaselineAdminNetworkPolicy
            metadata:
              name: mine
            spec:
              subject: {namespaces: {}}
              egress:
              - action: Pass
                to: [{networks: [10.0.0.0/8]}]
            """);

        Assert.Equal(
            [
                "test.yaml:4: BaselineAdminNetworkPolicy mine: metadata.name: Invalid value: \"string\": Only one baseline admin network policy with metadata.name=\"default\" can be created in the cluster",
                "test.yaml:8: BaselineAdminNetworkPolicy mine: spec.egress[0].action: Unsupported value: \"Pass\": supported values: \"Allow\", \"Deny\"",
            ],
            errors);
    }

    [Fact]
    public void A_v1alpha1_policy_may_not_share_its_name_with_a_ClusterNetworkPolicy()
    {
        var errors = Cluster.Errors(Admin("guard", 1).SubjectNamespaces().Yaml() + """
            ---
            apiVersion: policy.networking.k8s.io/v1alpha1
            kind: AdminNetworkPolicy
            metadata:
              name: guard
            spec:
              priority: 2
              subject: {namespaces: {}}
            """);

        var error = Assert.Single(errors);
        Assert.Matches(@"^test\.yaml:\d+: AdminNetworkPolicy guard: metadata\.name: Duplicate value: ""guard"": the ClusterNetworkPolicy at test\.yaml:\d+ has the same name: Maille reads both kinds as ClusterNetworkPolicies, where a name names one policy's rules and counters; rename one$", error);
    }
}
