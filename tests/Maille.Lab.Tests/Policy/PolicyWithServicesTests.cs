using Maille.Dataplane.Linux.Nftables;
using Maille.TestKit;

namespace Maille.Lab.Tests.Policy;

// IP plan: the playground (x, y, z × a, b, c; a pods on node-1, b on node-2, c on node-3) and a ClusterIP Service x/to-a
// selecting x/a: port 80 → targetPort serve-81-tcp (81), port 8080 → 80. Each node runs both tables: the Service
// proxy's maille-svc (nat, DNAT in prerouting) and the policy's maille-policy (filter, forward), as a node agent does.
public sealed class PolicyWithServicesTests
{
    private static readonly string Pods = Fixtures.PlaygroundPods;

    private const string Service = "apiVersion: v1\nkind: Service\nmetadata: {name: to-a, namespace: x}\nspec:\n  selector: {pod: a}\n  ports: [{name: p80, port: 80, targetPort: serve-81-tcp}, {name: p8080, port: 8080, targetPort: 80}]\n---\n";

    [SkippableFact]
    public async Task PolicyJudgesTheEndpointPortAfterDnat_AndAPodReachesItselfThroughItsService()
    {
        Privileged.Require();
        var cluster = Cluster.Valid(Pods + "\n---\n" + Service +
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: only-81, namespace: x}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  ingress: [{ports: [{port: 81}]}]\n---\n");
        using var lab = PolicyLab.Start(cluster);
        var proxies = cluster.Nodes.Select(n => new NodeServiceProxy(lab.Network.Node(n.Name), n.Name)).ToList();
        try
        {
            foreach (var proxy in proxies)
            {
                Assert.Null((await Task.Run(() => proxy.Sync(cluster))).Error);
            }

            lab.Sync(cluster);
            var clusterIp = cluster.ServicesByName["x/to-a"].ClusterIP!;

            Assert.Equal("connected", await lab.TcpAsync("y/b", clusterIp, 80));     // → x/a:81, which x/only-81 allows
            Assert.Equal("unreachable", await lab.TcpAsync("y/b", clusterIp, 8080)); // → x/a:80, which it does not
            Assert.Equal("connected", await lab.TcpAsync("x/a", clusterIp, 8080));   // x/a to itself: a hairpin, allowed
            Assert.Equal("unreachable", await lab.TcpAsync("x/b", clusterIp, 80));   // x/b's egress is isolated, with no rule
        }
        finally
        {
            foreach (var proxy in proxies)
            {
                proxy.Dispose();
            }
        }
    }
}
