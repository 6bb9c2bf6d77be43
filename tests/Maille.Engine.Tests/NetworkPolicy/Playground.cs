using System.Net;
using Maille.Engine.NetworkPolicies;

namespace Maille.Engine.Tests.NetworkPolicies;

/// <summary>
/// The upstream e2e playground (examples/netpol-playground/pods.yaml: namespaces x, y, z labelled ns=x|y|z, pods a, b,
/// c labelled pod=a|b|c, each serving 80 and 81 on TCP and UDP as serve-PORT-PROTO) plus the policies of one test.
/// With the default ClusterConfig, node-N has address 198.18.0.(10+N) and pod CIDR 198.19.N.0/24; pods a, b, c of
/// every namespace land on node-1, node-2, node-3: x/a 198.19.1.2, y/a 198.19.1.3, z/a 198.19.1.4, x/b 198.19.2.2, …
/// </summary>
internal sealed class Playground
{
    private Playground(ClusterState cluster)
    {
        Cluster = cluster;
        Evaluator = NetworkPolicyEvaluator.For(cluster);
    }

    public ClusterState Cluster { get; }

    public NetworkPolicyEvaluator Evaluator { get; }

    public static string PodsYaml { get; } = TestKit.Fixtures.PlaygroundPods;

    /// <summary>The playground plus <paramref name="yaml"/> (policies, extra objects), planned.</summary>
    public static Playground With(string yaml = "", string? pods = null) =>
        new(TestKit.Cluster.Valid((pods ?? PodsYaml) + "\n---\n" + yaml));

    /// <summary>The verdict for <paramref name="from"/> → <paramref name="to"/>, each a pod (<c>x/a</c>) or an IP address.</summary>
    public Verdict Check(string from, string to, string port = "80/TCP")
    {
        Assert.True(PortProtocol.TryParse(port, out var target), $"bad port {port}");
        return Evaluator.Evaluate(Endpoint(from), Endpoint(to), target.Port, target.Protocol);
    }

    public bool Allowed(string from, string to, string port = "80/TCP") => Check(from, to, port).Allowed;

    public PolicyEndpoint Endpoint(string name) => IPAddress.TryParse(name, out var address)
        ? PolicyEndpoint.External(address)
        : Evaluator.EndpointOf(Cluster.PodsByName[name]);

    /// <summary>The pods that may reach <paramref name="to"/>'s port, as <c>x/a</c> names in order.</summary>
    public IReadOnlyList<string> SourcesOf(string to, string port = "80/TCP") =>
        [.. Cluster.Pods.Select(p => p.QualifiedName).Where(p => p != to && Allowed(p, to, port))];

    /// <summary>Pods <paramref name="from"/> may reach on the port, as <c>x/a</c> names in order.</summary>
    public IReadOnlyList<string> DestinationsOf(string from, string port = "80/TCP") =>
        [.. Cluster.Pods.Select(p => p.QualifiedName).Where(p => p != from && Allowed(from, p, port))];

    /// <summary>
    /// A NetworkPolicy manifest; <paramref name="spec"/> is the YAML under <c>spec:</c>, written flush left. The
    /// metadata comes last because this branch's loader misreads a document ending in a flow collection (fixed on
    /// main by 21cc184); inline objects in these tests end with a block scalar for the same reason.
    /// </summary>
    public static string Policy(string ns, string name, string spec) =>
        $"""
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        spec:
        {string.Join("\n", spec.Split('\n').Select(l => "  " + l))}
        metadata:
          name: {name}
          namespace: {ns}
        ---

        """;

    public static IReadOnlyList<string> AllPods { get; } = ["x/a", "x/b", "x/c", "y/a", "y/b", "y/c", "z/a", "z/b", "z/c"];

    public static IReadOnlyList<string> Except(params string[] pods) => [.. AllPods.Where(p => !pods.Contains(p))];
}
