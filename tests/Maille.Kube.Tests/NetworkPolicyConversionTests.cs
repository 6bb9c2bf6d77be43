using Maille.Model;

namespace Maille.Kube.Tests;

/// <summary>Empty entries (<c>{}</c>) in a NetworkPolicy's rules, peers and ports, which YAML hands over as nulls.</summary>
public sealed class NetworkPolicyConversionTests
{
    private static (NetworkPolicy? Policy, IReadOnlyList<string> Errors) Load(string spec)
    {
        var yaml = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nspec:\n" +
            string.Join("\n", spec.Split('\n').Select(l => "  " + l)) +
            "\nmetadata:\n  name: p\n  namespace: x\n";
        var (manifests, diagnostics) = ManifestLoader.Load([new ManifestSource("p.yaml", yaml)]);
        return (manifests.NetworkPolicies.SingleOrDefault(), [.. diagnostics.Where(d => d.IsError).Select(d => d.ToString())]);
    }

    [Fact]
    public void AnEmptyRuleIsARuleWithoutPeersOrPorts()
    {
        var (policy, errors) = Load("""
            podSelector: {}
            ingress:
              - {}
            egress:
              - {}
            """);

        Assert.Empty(errors);
        Assert.Equal(new NetworkPolicyRule(), Assert.Single(policy!.Ingress));
        Assert.Equal(new NetworkPolicyRule(), Assert.Single(policy.Egress));
    }

    [Fact]
    public void AnEmptyPortEntryMeansEveryTcpPort()
    {
        var (policy, errors) = Load("""
            podSelector: {}
            ingress:
              - ports:
                  - {}
            """);

        Assert.Empty(errors);
        Assert.Equal(new NetworkPolicyPort(Protocol.TCP, null, null), Assert.Single(Assert.Single(policy!.Ingress).Ports));
    }

    [Fact]
    public void AnEmptyPeerIsRejectedAsTheApiServerDoes()
    {
        var (_, errors) = Load("""
            podSelector: {}
            ingress:
              - from:
                  - {}
            """);

        Assert.Equal(["p.yaml:7: NetworkPolicy x/p: spec.ingress[0].from[0]: Required value: must specify a peer"], errors);
    }
}
