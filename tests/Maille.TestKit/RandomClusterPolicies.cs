using System.Globalization;
using System.Text;

namespace Maille.TestKit;

/// <summary>
/// Seeded random sets of ClusterNetworkPolicies (policy.networking.k8s.io/v1alpha2) for the netpol playground's
/// vocabulary (see <see cref="RandomPolicies"/>), most of them mixed with random NetworkPolicies: both tiers, priorities
/// with ties (within a tier, the name breaks them), Accept, Deny and Pass, namespace and pod subjects and peers,
/// networks peers (pod and node ranges, the whole Internet), node peers, port numbers and ranges of each protocol, named
/// ports, and rules with no protocols. The same seed always gives the same YAML, so a failing seed can be replayed.
/// </summary>
public static class RandomClusterPolicies
{
    private static readonly int[] Priorities = [0, 3, 3, 7, 1000];

    private static readonly string[] Actions = ["Accept", "Deny", "Pass"];

    private static readonly string[] Networks =
    [
        "198.19.0.0/16", "198.19.1.0/24", "198.19.2.0/30", "198.19.3.2/31", "198.19.1.3/32", "198.18.0.0/24", "0.0.0.0/0",
    ];

    private static readonly string[] NumberedPorts =
    [
        "{tcp: {destinationPort: {number: 80}}}",
        "{tcp: {destinationPort: {number: 81}}}",
        "{udp: {destinationPort: {number: 80}}}",
        "{udp: {destinationPort: {number: 81}}}",
        "{tcp: {destinationPort: {range: {start: 80, end: 81}}}}",
        "{udp: {destinationPort: {range: {start: 79, end: 90}}}}",
        "{tcp: {destinationPort: {range: {start: 81, end: 1000}}}}",
        "{tcp: {destinationPort: {number: 82}}}",
        "{sctp: {destinationPort: {number: 80}}}",
    ];

    private static readonly string[] NamedPorts =
    [
        "{destinationNamedPort: serve-80-tcp}",
        "{destinationNamedPort: serve-81-udp}",
        "{destinationNamedPort: serve-80-udp}",
        "{destinationNamedPort: no-such-port}",
    ];

    /// <summary>Between 1 and <paramref name="maxPolicies"/> ClusterNetworkPolicies, and in three sets of four up to three NetworkPolicies, as one YAML stream.</summary>
    public static string Yaml(int seed, int maxPolicies = 4)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        var count = random.Next(1, maxPolicies + 1);
        for (var i = 0; i < count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {{name: cnp{i}}}\nspec:\n");
            text.Append("  tier: ").Append(random.Next(2) == 0 ? "Admin" : "Baseline").Append('\n');
            text.Append(CultureInfo.InvariantCulture, $"  priority: {RandomPolicies.Pick(random, Priorities)}\n");
            text.Append("  subject: ").Append(random.Next(2) == 0
                ? $"{{namespaces: {RandomPolicies.NamespaceSelector(random)}}}"
                : $"{{pods: {PodsSelector(random)}}}").Append('\n');
            Rules(random, text, "ingress", "from");
            Rules(random, text, "egress", "to");
            text.Append("---\n");
        }

        if (random.Next(4) > 0)
        {
            text.Append(RandomPolicies.Yaml(random.Next(), 3));
        }

        return text.ToString();
    }

    private static void Rules(Random random, StringBuilder text, string direction, string peersField)
    {
        var rules = random.Next(4);
        if (rules == 0)
        {
            return;
        }

        text.Append("  ").Append(direction).Append(":\n");
        for (var r = 0; r < rules; r++)
        {
            text.Append("    - {");
            if (random.Next(2) == 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"name: {direction}-{r}, ");
            }

            text.Append("action: ").Append(RandomPolicies.Pick(random, Actions));
            var peers = Enumerable.Range(0, random.Next(1, 3)).Select(_ => Peer(random, direction == "egress")).ToList();
            text.Append(", ").Append(peersField).Append(": [").AppendJoin(", ", peers).Append(']');
            var protocols = random.Next(-1, 3);
            if (protocols > 0)
            {
                // An egress rule with networks or nodes peers may not name ports (the CRD's rule).
                var addressPeer = peers.Any(p => p.StartsWith("{networks", StringComparison.Ordinal) || p.StartsWith("{nodes", StringComparison.Ordinal));
                var choices = addressPeer ? NumberedPorts : [.. NumberedPorts, .. NamedPorts];
                text.Append(", protocols: [").AppendJoin(", ", Enumerable.Range(0, protocols).Select(_ => RandomPolicies.Pick(random, choices))).Append(']');
            }

            text.Append("}\n");
        }
    }

    private static string Peer(Random random, bool egress) => random.Next(egress ? 5 : 2) switch
    {
        0 => $"{{namespaces: {RandomPolicies.NamespaceSelector(random)}}}",
        1 => $"{{pods: {PodsSelector(random)}}}",
        2 or 3 => $"{{networks: [{string.Join(", ", Enumerable.Range(0, random.Next(1, 3)).Select(_ => RandomPolicies.Pick(random, Networks)))}]}}",
        _ => "{nodes: {}}",
    };

    private static string PodsSelector(Random random) =>
        $"{{namespaceSelector: {RandomPolicies.NamespaceSelector(random)}, podSelector: {RandomPolicies.PodSelector(random)}}}";
}
