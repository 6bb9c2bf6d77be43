using System.Globalization;
using System.Text;

namespace Maille.Cli.Compare;

/// <summary>
/// The one workload <c>maille compare</c> runs in every lab, as manifests: two nodes; a client pod on node-1 and a
/// server pod on node-2 (the measured paths cross the node network); two <c>web</c> pods, one per node, behind every
/// <c>web-N</c> Service; a Service <c>iperf</c> in front of the server's iperf3. The large steps are added to the
/// running lab later, so their programming can be timed: <see cref="Services"/> and <see cref="Policies"/>.
/// </summary>
internal static class ComparisonWorkload
{
    public const string Namespace = "compare";

    public const string ClientPod = "client";

    public const string ServerPod = "server";

    public const string IperfService = "iperf";

    /// <summary>The server's iperf3 port: not a declared container port, so the pod's built-in server leaves it to iperf3.</summary>
    public const int IperfPort = 5201;

    /// <summary>Where the built-in server of the server and web pods answers (the connect measures).</summary>
    public const int HttpPort = 80;

    /// <summary>The Services the lab starts with: the first-packet measure "at 10 Services".</summary>
    public const int InitialServices = 10;

    /// <summary>A ClusterConfig of two nodes (their names are those the pods are pinned to).</summary>
    public static string ClusterConfig() => """
        apiVersion: maille.dev/v1alpha1
        kind: ClusterConfig
        nodeCount: 2
        """;

    /// <summary>The namespace, the four pods, the <c>iperf</c> Service and <c>web-0</c> … <c>web-9</c>.</summary>
    public static string Initial()
    {
        var text = new StringBuilder();
        Document(text, $$"""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: {{Namespace}}
            """);
        Pod(text, ClientPod, "client", "node-1", serves: false);
        Pod(text, ServerPod, "server", "node-2", serves: true);
        Pod(text, "web-1", "web", "node-1", serves: true);
        Pod(text, "web-2", "web", "node-2", serves: true);
        Document(text, $$"""
            apiVersion: v1
            kind: Service
            metadata:
              name: {{IperfService}}
              namespace: {{Namespace}}
            spec:
              selector: {app: server}
              ports:
              - {name: iperf, port: {{IperfPort}}, protocol: TCP}
            """);
        text.Append(Services(0, InitialServices));
        return text.ToString();
    }

    /// <summary>Services <c>web-FROM</c> … <c>web-(TO-1)</c>, each in front of both web pods on port 80.</summary>
    public static string Services(int from, int to)
    {
        var text = new StringBuilder();
        for (var i = from; i < to; i++)
        {
            Document(text, $$"""
                apiVersion: v1
                kind: Service
                metadata:
                  name: {{WebService(i)}}
                  namespace: {{Namespace}}
                spec:
                  selector: {app: web}
                  ports:
                  - {name: http, port: {{HttpPort}}, protocol: TCP}
                """);
        }

        return text.ToString();
    }

    public static string WebService(int index) => "web-" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// <paramref name="count"/> NetworkPolicies that all select the server, so that its ingress is judged against
    /// every one of them: policy 0 admits the client on the HTTP and iperf3 ports (the measured connections); policy i
    /// admits the client on port 10000+i, and a /32 of 198.18.64.0/18 (an address nothing uses) on port 80, so no two
    /// policies are alike and none can be folded into another.
    /// </summary>
    public static string Policies(int count)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var name = "allow-" + i.ToString("D4", CultureInfo.InvariantCulture);
            var rules = i == 0
                ? Rule("podSelector: {matchLabels: {app: client}}", HttpPort, IperfPort)
                : Rule("podSelector: {matchLabels: {app: client}}", 10000 + i) + Rule($"ipBlock: {{cidr: {UnusedAddress(i)}/32}}", HttpPort);
            Document(text, $$"""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: {{name}}
                  namespace: {{Namespace}}
                spec:
                  podSelector:
                    matchLabels: {app: server}
                  policyTypes: [Ingress]
                  ingress:
                """ + "\n" + rules);
        }

        return text.ToString();
    }

    /// <summary>One ingress rule of a policy: from <paramref name="peer"/> on TCP <paramref name="ports"/>.</summary>
    private static string Rule(string peer, params int[] ports)
    {
        var text = new StringBuilder();
        text.Append("  - from:\n    - ").Append(peer).Append("\n    ports:\n");
        foreach (var port in ports)
        {
            text.Append(CultureInfo.InvariantCulture, $"    - {{port: {port}, protocol: TCP}}\n");
        }

        return text.ToString();
    }

    /// <summary>198.18.64.0 + i: inside the lab's range, outside its node network, pod CIDR and Service CIDR.</summary>
    private static string UnusedAddress(int i) => $"198.18.{64 + (i / 256)}.{i % 256}";

    private static void Pod(StringBuilder text, string name, string app, string node, bool serves) =>
        Document(text, $$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: {{name}}
              namespace: {{Namespace}}
              labels:
                app: {{app}}
            spec:
              nodeName: {{node}}
              containers:
              - name: main
                image: maille.dev/compare
            """ + (serves ? $"\n    ports: [{{containerPort: {HttpPort}, protocol: TCP}}]" : ""));

    private static void Document(StringBuilder text, string document) => text.Append("---\n").Append(document.TrimEnd()).Append('\n');
}
