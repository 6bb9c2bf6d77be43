using Maille.Model;
using Maille.TestKit;

namespace Maille.Lab.Tests.Policy;

// IP plan: the playground (x, y, z × a, b, c; a pods on node-1, b on node-2, c on node-3) and a ClusterIP Service x/to-a
// selecting x/a: port 80 → targetPort serve-81-tcp (81), port 8080 → 80. Each node runs a data plane's two parts, as a
// node agent does: nftables' maille-svc (nat, DNAT in prerouting) and maille-policy (filter, forward), or the ebpf
// socket hooks (the ClusterIP rewritten at connect()) and the tc programs on each pod's veth.
public sealed class PolicyWithServicesTests
{
    private static readonly string Pods = Fixtures.PlaygroundPods;

    private const string Service = "apiVersion: v1\nkind: Service\nmetadata: {name: to-a, namespace: x}\nspec:\n  selector: {pod: a}\n  ports: [{name: p80, port: 80, targetPort: serve-81-tcp}, {name: p8080, port: 8080, targetPort: 80}]\n---\n";

    /// <summary>In each data plane: nftables' DNAT before its forward chain, and the ebpf socket hooks before the tc programs.</summary>
    [SkippableTheory]
    [InlineData(DataplaneKind.Nftables)]
    [InlineData(DataplaneKind.Ebpf)]
    public async Task PolicyJudgesTheEndpointPortAfterTheServiceTranslation_AndAPodReachesItselfThroughItsService(DataplaneKind dataplane)
    {
        Privileged.Require();
        var cluster = Cluster.Valid(Pods + "\n---\n" + Service +
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: only-81, namespace: x}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  ingress: [{ports: [{port: 81}]}]\n---\n");
        using var lab = PolicyLab.Start(cluster, dataplane: dataplane);
        lab.Sync(cluster);
        using var services = await Task.Run(() => new LabServiceTranslation(lab, cluster, dataplane));
        var clusterIp = cluster.ServicesByName["x/to-a"].ClusterIP!;

        Assert.Equal("connected", await lab.TcpAsync("y/b", clusterIp, 80));     // → x/a:81, which x/only-81 allows
        Assert.Equal("unreachable", await lab.TcpAsync("y/b", clusterIp, 8080)); // → x/a:80, which it does not
        Assert.Equal("connected", await lab.TcpAsync("x/a", clusterIp, 8080));   // x/a to itself: a hairpin, allowed
        Assert.Equal("unreachable", await lab.TcpAsync("x/b", clusterIp, 80));   // x/b's egress is isolated, with no rule
    }
}
