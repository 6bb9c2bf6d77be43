using System.Globalization;
using System.Text;

namespace Maille.TestKit;

/// <summary>
/// Seeded random NetworkPolicy sets for the netpol playground's vocabulary (namespaces x, y, z labelled ns=NAME; pods
/// labelled pod=a|b|c|d serving 80 and 81 over TCP and UDP as serve-PORT-PROTO; pod CIDRs 198.19.N.0/24 and nodes in
/// 198.18.0.0/24): selectors of every form, ipBlocks with except, numeric, named (also with the wrong protocol),
/// protocol-only and endPort ports, every policyTypes form. The same seed always gives the same YAML, so a failing
/// seed can be replayed.
/// </summary>
public static class RandomPolicies
{
    /// <summary>The playground's namespaces (labelled ns=NAME).</summary>
    public static readonly string[] Namespaces = ["x", "y", "z"];

    /// <summary>The pods' pod=NAME labels.</summary>
    public static readonly string[] Pods = ["a", "b", "c", "d"];

    private static readonly (string Cidr, string[] Except)[] Blocks =
    [
        ("198.19.0.0/16", ["198.19.2.0/24"]),
        ("198.19.1.0/24", []),
        ("198.19.2.0/24", ["198.19.2.0/30", "198.19.2.4/32"]),
        ("198.19.3.2/31", []),
        ("198.18.0.0/24", []),
        ("0.0.0.0/0", ["198.19.1.0/24"]),
        ("198.19.1.3/32", []),
    ];

    private static readonly string[] PortEntries =
    [
        "{port: 80}",
        "{port: 81, protocol: UDP}",
        "{protocol: UDP}",
        "{protocol: TCP}",
        "{port: serve-80-tcp}",
        "{port: serve-81-udp, protocol: UDP}",
        "{port: serve-81-tcp, protocol: UDP}",
        "{port: 80, endPort: 81}",
        "{port: 81, endPort: 90, protocol: UDP}",
        "{port: 82}",
    ];

    /// <summary>Between 1 and <paramref name="maxPolicies"/> policies as one YAML stream.</summary>
    public static string Yaml(int seed, int maxPolicies = 5)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        var count = random.Next(1, maxPolicies + 1);
        for (var i = 0; i < count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: p{i}, namespace: {Pick(random, Namespaces)}}}\nspec:\n");
            text.Append("  podSelector: ").Append(random.Next(3) == 0 ? "{}" : PodSelector(random)).Append('\n');
            switch (random.Next(4))
            {
                case 0: break;
                case 1: text.Append("  policyTypes: [Ingress]\n"); break;
                case 2: text.Append("  policyTypes: [Egress]\n"); break;
                default: text.Append("  policyTypes: [Ingress, Egress]\n"); break;
            }

            Rules(random, text, "ingress", "from");
            Rules(random, text, "egress", "to");
            text.Append("---\n");
        }

        return text.ToString();
    }

    private static void Rules(Random random, StringBuilder text, string direction, string peers)
    {
        var rules = random.Next(-1, 3);
        if (rules < 0)
        {
            return;
        }

        text.Append("  ").Append(direction).Append(':').Append(rules == 0 ? " []\n" : "\n");
        for (var r = 0; r < rules; r++)
        {
            text.Append("    - ");
            var peerCount = random.Next(-1, 3);
            var wrotePeers = peerCount >= 0;
            if (wrotePeers)
            {
                text.Append(peers).Append(": [").AppendJoin(", ", Enumerable.Range(0, peerCount).Select(_ => Peer(random))).Append("]\n");
            }

            var portCount = random.Next(-1, 3);
            if (portCount >= 0)
            {
                text.Append(wrotePeers ? "      " : "").Append("ports: [").AppendJoin(", ", Enumerable.Range(0, portCount).Select(_ => Pick(random, PortEntries))).Append("]\n");
            }
            else if (!wrotePeers)
            {
                text.Append("{}\n");
            }
        }
    }

    private static string Peer(Random random) => random.Next(4) switch
    {
        0 => $"{{podSelector: {PodSelector(random)}}}",
        1 => $"{{namespaceSelector: {NamespaceSelector(random)}}}",
        2 => $"{{podSelector: {PodSelector(random)}, namespaceSelector: {NamespaceSelector(random)}}}",
        _ => IpBlock(random),
    };

    private static string IpBlock(Random random)
    {
        var (cidr, except) = Pick(random, Blocks);
        var kept = except.Where(_ => random.Next(3) > 0).ToList();
        return kept.Count == 0 ? $"{{ipBlock: {{cidr: {cidr}}}}}" : $"{{ipBlock: {{cidr: {cidr}, except: [{string.Join(", ", kept)}]}}}}";
    }

    /// <summary>A pod selector of one of the forms (empty, matchLabels, In/NotIn, Exists/DoesNotExist), as YAML flow.</summary>
    public static string PodSelector(Random random) => random.Next(4) switch
    {
        0 => "{}",
        1 => $"{{matchLabels: {{pod: {Pick(random, Pods)}}}}}",
        2 => $"{{matchExpressions: [{{key: pod, operator: {(random.Next(2) == 0 ? "In" : "NotIn")}, values: [{Pick(random, Pods)}, {Pick(random, Pods)}]}}]}}",
        _ => $"{{matchExpressions: [{{key: {(random.Next(2) == 0 ? "pod" : "missing")}, operator: {(random.Next(2) == 0 ? "Exists" : "DoesNotExist")}}}]}}",
    };

    /// <summary>A namespace selector (empty, matchLabels ns, In/NotIn on the name label), as YAML flow.</summary>
    public static string NamespaceSelector(Random random) => random.Next(3) switch
    {
        0 => "{}",
        1 => $"{{matchLabels: {{ns: {Pick(random, Namespaces)}}}}}",
        _ => $"{{matchExpressions: [{{key: kubernetes.io/metadata.name, operator: {(random.Next(2) == 0 ? "In" : "NotIn")}, values: [{Pick(random, Namespaces)}]}}]}}",
    };

    public static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];
}
