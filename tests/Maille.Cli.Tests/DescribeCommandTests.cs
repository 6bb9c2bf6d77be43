using Maille.Kube.Views;
using Maille.Engine.NetworkPolicies;
using Maille.Kube.Tables;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Cli.Tests;

public sealed class DescribeCommandTests
{
    private static string Shop => Path.Combine(Cluster.RepositoryRoot, "examples", "shop");

    [Fact]
    public void Describe_netpol_prints_kubectls_description_rule_by_rule()
    {
        var (code, stdout, stderr) = CliRunner.Run("describe", "netpol", "api-egress", "-n", "shop-api", "-f", Shop);

        Assert.True(code == 0, stderr);
        Assert.Equal("""
            Name:         api-egress
            Namespace:    shop-api
            Created on:   <unknown>
            Labels:       <none>
            Annotations:  <none>
            Spec:
              PodSelector:     app=api
              Not affecting ingress traffic
              Allowing egress traffic:
                To Port: 53/UDP
                To Port: 53/TCP
                To:
                  NamespaceSelector: kubernetes.io/metadata.name=kube-system
                ----------
                To Port: 5432/TCP
                To:
                  NamespaceSelector: kubernetes.io/metadata.name=shop-db
              Policy Types: Egress

            """, stdout);
    }

    [Fact]
    public void Describe_netpol_spells_out_open_peers_ports_ip_blocks_and_isolation_without_rules()
    {
        var (code, stdout, _) = CliRunner.RunWithStdin("""
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: mixed, namespace: x, labels: {team: a}}
            spec:
              podSelector: {}
              policyTypes: [Ingress, Egress]
              ingress:
              - from: [{ipBlock: {cidr: 198.18.0.0/24, except: [198.18.0.9/32]}}]
                ports: [{protocol: UDP, port: 32000, endPort: 32768}]
              - {}
            """, "describe", "netpol", "-n", "x", "-f", "-");

        Assert.Equal(0, code);
        Assert.Contains("Labels:       team=a\n", stdout, StringComparison.Ordinal);
        Assert.Contains("""
              PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)
              Allowing ingress traffic:
                To Port: 32000-32768/UDP
                From:
                  IPBlock:
                    CIDR: 198.18.0.0/24
                    Except: 198.18.0.9/32
                ----------
                To Port: <any> (traffic allowed to all ports)
                From: <any> (traffic not restricted by source)
              Allowing egress traffic:
                <none> (Selected pods are isolated for egress connectivity)
              Policy Types: Ingress, Egress
            """, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_says_what_it_cannot_find_or_describe()
    {
        var (code, _, stderr) = CliRunner.Run("describe", "netpol", "nope", "-n", "shop-api", "-f", Shop);
        Assert.Equal(1, code);
        Assert.Equal("Error from server (NotFound): networkpolicies.networking.k8s.io \"nope\" not found\n", stderr);

        (code, _, stderr) = CliRunner.Run("describe", "svc", "api", "-n", "shop-api", "-f", Shop);
        Assert.Equal(1, code);
        Assert.Contains("knows networkpolicies (netpol) and pods (po)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void On_a_lab_each_rule_shows_the_connections_it_matched_summed_over_the_nodes_and_a_rule_no_node_counts_shows_zero()
    {
        var policy = Cluster.Valid("""
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: allow, namespace: x}
            spec:
              podSelector: {}
              ingress:
              - ports: [{port: 80}]
              - ports: [{port: 81}]
            """).NetworkPolicies.Single();
        var counters = new RuleCounters(new Dictionary<PolicyRuleId, RuleCount>
        {
            [new PolicyRuleId("x", "allow", PolicyDirection.Ingress, 0)] = new RuleCount(5, 300, [("node-1", 2), ("node-2", 3)]),
        });

        var text = new StringWriter();
        NetworkPolicyDescription.Write(text, policy, counters);

        Assert.Contains("    To Port: 80/TCP\n    From: <any> (traffic not restricted by source)\n    Matched: 5 packets, 300 bytes (node-1: 2, node-2: 3)\n    ----------\n", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("    To Port: 81/TCP\n    From: <any> (traffic not restricted by source)\n    Matched: 0 packets, 0 bytes (no node counts this rule", text.ToString(), StringComparison.Ordinal);

        var table = new StringWriter();
        new ResourceTables(Cluster.Valid("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}"), TimeProvider.System).NetworkPolicies([policy], allNamespaces: false, counters).Write(table);
        Assert.Equal("NAME    POD-SELECTOR   AGE         INGRESS-PACKETS   EGRESS-PACKETS\nallow   <none>         <unknown>   5,0               <none>\n", table.ToString());
    }
}
