using System.Text.Json;
using System.Text.Json.Nodes;
using Maille.Kube.Policy;
using Maille.TestKit;

namespace Maille.Kube.Tests;

// A ClusterNetworkPolicy, and the v1alpha1 kinds read onto the same model, as the lab's API serves them: each in the
// version and shape it was written in, so that what is served reads back to the same policy.
public sealed class ServedClusterNetworkPolicyTests
{
    private const string Admin = """
        apiVersion: policy.networking.k8s.io/v1alpha1
        kind: AdminNetworkPolicy
        metadata: {name: old}
        spec:
          priority: 3
          subject: {pods: {namespaceSelector: {matchLabels: {team: a}}, podSelector: {matchLabels: {app: web}}}}
          ingress:
          - name: allow-some
            action: Allow
            from: [{namespaces: {matchLabels: {team: b}}}]
            ports:
            - portNumber: {protocol: UDP, port: 53}
            - portRange: {protocol: TCP, start: 80, end: 90}
            - namedPort: web
          - {name: pass-rest, action: Pass, from: [{pods: {namespaceSelector: {}, podSelector: {}}}]}
          egress:
          - {name: deny-net, action: Deny, to: [{networks: [198.18.0.0/16]}, {nodes: {matchLabels: {role: infra}}}]}
        ---
        apiVersion: policy.networking.k8s.io/v1alpha1
        kind: BaselineAdminNetworkPolicy
        metadata: {name: default}
        spec:
          subject: {namespaces: {}}
          ingress: [{name: deny-b, action: Deny, from: [{namespaces: {matchLabels: {team: b}}}]}]
        """;

    [Fact]
    public void A_v1alpha1_policy_is_served_in_its_own_version_and_reads_back_to_the_same_policy()
    {
        var read = Cluster.Valid(Admin).ClusterNetworkPolicies;

        foreach (var policy in read)
        {
            var served = JsonSerializer.Serialize(ClusterNetworkPolicyObjectWriter.Write(policy, ["node-1"]));
            var again = Assert.Single(Cluster.Valid(served).ClusterNetworkPolicies);

            Assert.Equal(policy with { Meta = again.Meta }, again);
            var json = JsonNode.Parse(served)!;
            Assert.Equal(("policy.networking.k8s.io/v1alpha1", policy.SourceKind), ((string?)json["apiVersion"], (string?)json["kind"]));
            Assert.Null(json["spec"]!["tier"]);
            Assert.Equal("Ready-In-Zone-node-1", (string?)json["status"]!["conditions"]![0]!["type"]);
        }

        var admin = JsonNode.Parse(JsonSerializer.Serialize(ClusterNetworkPolicyObjectWriter.Write(read.Single(p => p.Name == "old"))))!;
        Assert.Equal(
            """[{"portNumber":{"port":53,"protocol":"UDP"}},{"portRange":{"end":90,"protocol":"TCP","start":80}},{"namedPort":"web"}]""",
            admin["spec"]!["ingress"]![0]!["ports"]!.ToJsonString());
        Assert.Equal(("Allow", 3), ((string?)admin["spec"]!["ingress"]![0]!["action"], (int)admin["spec"]!["priority"]!));
        Assert.Null(JsonNode.Parse(JsonSerializer.Serialize(ClusterNetworkPolicyObjectWriter.Write(read.Single(p => p.Name == "default"))))!["spec"]!["priority"]);
    }

    [Theory]
    [InlineData("ClusterNetworkPolicy", "v1alpha2", "tier")]
    [InlineData("AdminNetworkPolicy", "v1alpha1", "priority")]
    [InlineData("BaselineAdminNetworkPolicy", "v1alpha1", "subject")]
    public void The_schemas_served_are_network_policy_api_s_own(string kind, string version, string specField)
    {
        var schema = NetworkPolicyApiCrds.Crds.Schema(kind, version);

        Assert.NotNull(schema?["properties"]?["spec"]?["properties"]?[specField]?["description"]);
        Assert.Null(NetworkPolicyApiCrds.Crds.Schema(kind, "v1"));
    }
}
