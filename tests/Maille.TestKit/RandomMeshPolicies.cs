using System.Globalization;
using System.Text;

namespace Maille.TestKit;

/// <summary>
/// Seeded random Istio AuthorizationPolicy and PeerAuthentication sets over <see cref="Pods"/>: ALLOW and DENY, with and
/// without a selector, in a namespace or in the root namespace; sources with principals, namespaces and ipBlocks and their
/// not forms (exact, prefix, suffix and <c>*</c> values), operations with ports and notPorts, empty rules and ALLOW
/// policies without rules; PeerAuthentication STRICT, PERMISSIVE or UNSET mesh-wide, per namespace and per workload
/// with a port-level mode. The same seed always gives the same YAML, so a failing seed can be replayed.
/// </summary>
public static class RandomMeshPolicies
{
    /// <summary>
    /// Three namespaces over three nodes: <c>ma</c> in the mesh by Istio's label (ma/c opted out), <c>mb</c> by Maille's,
    /// <c>pl</c> outside it (pl/b opted in by its own label); service accounts alpha, beta, gamma and default; every
    /// pod labelled app=NAME, serving TCP 80, 81 or both. With the root namespace <c>istio-system</c>, empty.
    /// </summary>
    public const string Pods = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: ma, labels: {istio.io/dataplane-mode: ambient}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: mb, labels: {maille.dev/mesh: enabled}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: pl}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: istio-system}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: a, namespace: ma, labels: {app: a}}
        spec: {nodeName: node-1, serviceAccountName: alpha, containers: [{name: c, image: i, ports: [{containerPort: 80}, {containerPort: 81}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: b, namespace: ma, labels: {app: b}}
        spec: {nodeName: node-2, serviceAccountName: beta, containers: [{name: c, image: i, ports: [{containerPort: 80}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: c, namespace: ma, labels: {app: c, istio.io/dataplane-mode: none}}
        spec: {nodeName: node-3, serviceAccountName: alpha, containers: [{name: c, image: i, ports: [{containerPort: 80}, {containerPort: 81}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: a, namespace: mb, labels: {app: a}}
        spec: {nodeName: node-1, containers: [{name: c, image: i, ports: [{containerPort: 80}, {containerPort: 81}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: b, namespace: mb, labels: {app: b}}
        spec: {nodeName: node-3, serviceAccountName: beta, containers: [{name: c, image: i, ports: [{containerPort: 81}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: a, namespace: pl, labels: {app: a}}
        spec: {nodeName: node-2, containers: [{name: c, image: i, ports: [{containerPort: 80}, {containerPort: 81}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: b, namespace: pl, labels: {app: b, istio.io/dataplane-mode: ambient}}
        spec: {nodeName: node-1, serviceAccountName: gamma, containers: [{name: c, image: i, ports: [{containerPort: 80}]}]}
        """;

    private static readonly string[] PolicyNamespaces = ["ma", "ma", "mb", "mb", "pl", "istio-system"];

    private static readonly string[] Apps = ["a", "b", "c"];

    private static readonly string[] Principals =
    [
        "cluster.local/ns/ma/sa/alpha", "cluster.local/ns/ma/sa/beta", "cluster.local/ns/mb/sa/default", "cluster.local/ns/mb/sa/beta",
        "cluster.local/ns/pl/sa/gamma", "cluster.local/ns/ma/*", "*/sa/beta", "*",
    ];

    private static readonly string[] NamespaceValues = ["ma", "mb", "pl", "m*", "*b", "*"];

    /// <summary>Pods are in 198.19.N.0/24 by node (node-N), nodes in 198.18.0.0/24.</summary>
    private static readonly string[] IpBlocks = ["198.19.1.0/24", "198.19.2.0/24", "198.19.3.0/24", "198.19.0.0/16", "198.19.1.2/32", "198.19.2.2", "198.18.0.0/24", "0.0.0.0/0"];

    private static readonly string[] PortValues = ["80", "81"];

    private static readonly string[] Modes = ["STRICT", "PERMISSIVE", "UNSET"];

    /// <summary>Between 1 and <paramref name="maxPolicies"/> AuthorizationPolicies and up to four PeerAuthentications, as one YAML stream.</summary>
    public static string Yaml(int seed, int maxPolicies = 4)
    {
        var random = new Random(seed);
        var documents = new List<string>();
        var count = random.Next(1, maxPolicies + 1);
        for (var i = 0; i < count; i++)
        {
            var text = new StringBuilder();
            var allow = random.Next(2) == 0;
            text.Append(CultureInfo.InvariantCulture, $"apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {{name: p{i}, namespace: {Pick(random, PolicyNamespaces)}}}\nspec:\n");
            text.Append("  action: ").Append(allow ? "ALLOW" : "DENY").Append('\n');
            if (random.Next(2) == 0)
            {
                text.Append("  selector: {matchLabels: {app: ").Append(Pick(random, Apps)).Append("}}\n");
            }

            // An ALLOW policy without rules allows nothing; a DENY one denies nothing.
            var rules = random.Next(8) == 0 ? 0 : random.Next(1, 4);
            if (rules > 0)
            {
                text.Append("  rules:\n");
            }

            for (var r = 0; r < rules; r++)
            {
                text.Append("  - ").Append(Rule(random)).Append('\n');
            }

            documents.Add(text.ToString());
        }

        if (random.Next(3) == 0)
        {
            documents.Add(PeerAuthentication("istio-system", "default", Pick(random, Modes), null));
        }

        foreach (var ns in new[] { "ma", "mb", "pl" })
        {
            if (random.Next(2) == 0)
            {
                documents.Add(PeerAuthentication(ns, "default", Pick(random, Modes), null));
            }
        }

        if (random.Next(3) == 0)
        {
            var ns = Pick(random, ["ma", "mb"]);
            var port = random.Next(2) == 0 ? $"  portLevelMtls: {{\"{Pick(random, PortValues)}\": {{mode: {Pick(random, Modes)}}}}}\n" : null;
            documents.Add(PeerAuthentication(ns, "workload", Pick(random, Modes), $"  selector: {{matchLabels: {{app: {Pick(random, Apps)}}}}}\n" + port));
        }

        return string.Join("---\n", documents);
    }

    /// <summary>A rule as a flow mapping: <c>{}</c>, or <c>from</c> and/or <c>to</c>.</summary>
    private static string Rule(Random random)
    {
        var parts = new List<string>();
        if (random.Next(10) < 7)
        {
            parts.Add("from: [" + string.Join(", ", Enumerable.Range(0, random.Next(1, 3)).Select(_ => "{source: " + Source(random) + "}")) + "]");
        }

        if (random.Next(2) == 0)
        {
            var field = random.Next(3) == 0 ? "notPorts" : "ports";
            parts.Add($"to: [{{operation: {{{field}: [{string.Join(", ", Some(random, PortValues).Select(p => $"\"{p}\""))}]}}}}]");
        }

        return "{" + string.Join(", ", parts) + "}";
    }

    /// <summary>One to two fields of a source, each of which must match.</summary>
    private static string Source(Random random)
    {
        var fields = new List<string>();
        foreach (var field in Some(random, ["principals", "notPrincipals", "namespaces", "notNamespaces", "ipBlocks", "notIpBlocks"]).Take(2))
        {
            var values = field switch
            {
                "principals" or "notPrincipals" => Principals,
                "namespaces" or "notNamespaces" => NamespaceValues,
                _ => IpBlocks,
            };
            fields.Add($"{field}: [{string.Join(", ", Some(random, values).Take(2).Select(v => $"\"{v}\""))}]");
        }

        return "{" + string.Join(", ", fields) + "}";
    }

    private static string PeerAuthentication(string ns, string name, string mode, string? more) =>
        $"apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n{more}  mtls: {{mode: {mode}}}\n";

    /// <summary>A non-empty random subset, in a random order.</summary>
    private static List<string> Some(Random random, string[] values)
    {
        var chosen = values.Where(_ => random.Next(3) == 0).ToList();
        if (chosen.Count == 0)
        {
            chosen.Add(Pick(random, values));
        }

        return [.. chosen.OrderBy(_ => random.Next())];
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}
