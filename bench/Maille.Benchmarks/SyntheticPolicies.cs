using System.Globalization;
using System.Text;

namespace Maille.Benchmarks;

/// <summary>
/// A seeded, reproducible NetworkPolicy workload: <c>namespaces</c> namespaces (labels team, env), <c>pods</c> pods
/// spread over them (labels app from 10 values, tier from 3; ports 80/TCP "http" and 53/UDP "dns"), and
/// <c>policies</c> policies mixing pod and namespace selectors (AND and OR), matchExpressions, ipBlocks with except,
/// named and numeric ports, endPort ranges and egress rules.
/// </summary>
internal static class SyntheticPolicies
{
    private static readonly string[] Apps = ["web", "api", "db", "cache", "queue", "auth", "search", "mail", "batch", "metrics"];
    private static readonly string[] Tiers = ["front", "back", "data"];
    private static readonly string[] Teams = ["a", "b", "c", "d", "e"];

    private static string IpBlockPeer(int node) => $"    - ipBlock: {{cidr: 198.19.{node}.0/24, except: [198.19.{node}.16/28]}}\n";

    public static string Yaml(int namespaces, int pods, int policies, int seed = 42)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        for (var n = 0; n < namespaces; n++)
        {
            text.Append(CultureInfo.InvariantCulture, $"apiVersion: v1\nkind: Namespace\nmetadata: {{name: ns-{n}, labels: {{team: {Teams[n % Teams.Length]}, env: {(n % 2 == 0 ? "prod" : "dev")}}}}}\n---\n");
        }

        for (var p = 0; p < pods; p++)
        {
            var app = Apps[random.Next(Apps.Length)];
            var tier = Tiers[random.Next(Tiers.Length)];
            text.Append(CultureInfo.InvariantCulture, $"apiVersion: v1\nkind: Pod\nmetadata: {{name: pod-{p}, namespace: ns-{p % namespaces}, labels: {{app: {app}, tier: {tier}}}}}\nspec: {{containers: [{{name: c, ports: [{{name: http, containerPort: 80}}, {{name: dns, containerPort: 53, protocol: UDP}}]}}]}}\n---\n");
        }

        for (var i = 0; i < policies; i++)
        {
            var ns = $"ns-{i % namespaces}";
            text.Append(CultureInfo.InvariantCulture, $"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: policy-{i}, namespace: {ns}}}\nspec:\n");
            text.Append(random.Next(4) == 0 ? "  podSelector: {}\n" : $"  podSelector: {{matchLabels: {{app: {Apps[random.Next(Apps.Length)]}}}}}\n");
            text.Append("  ingress:\n");
            for (var r = 0; r < 1 + random.Next(2); r++)
            {
                text.Append("  - from:\n");
                text.Append(random.Next(5) switch
                {
                    0 => $"    - namespaceSelector: {{matchLabels: {{team: {Teams[random.Next(Teams.Length)]}}}}}\n      podSelector: {{matchLabels: {{tier: {Tiers[random.Next(Tiers.Length)]}}}}}\n",
                    1 => $"    - namespaceSelector: {{matchExpressions: [{{key: env, operator: NotIn, values: [dev]}}]}}\n    - podSelector: {{matchLabels: {{app: {Apps[random.Next(Apps.Length)]}}}}}\n",
                    2 => IpBlockPeer(random.Next(1, 26)),
                    3 => "    - podSelector: {}\n",
                    _ => $"    - podSelector: {{matchExpressions: [{{key: tier, operator: In, values: [{Tiers[random.Next(Tiers.Length)]}, {Tiers[random.Next(Tiers.Length)]}]}}]}}\n",
                });
                text.Append(random.Next(3) switch
                {
                    0 => "    ports: [{port: http}]\n",
                    1 => "    ports: [{port: 50, endPort: 90}, {protocol: UDP, port: dns}]\n",
                    _ => "",
                });
            }

            if (random.Next(3) == 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"  egress:\n  - to: [{{namespaceSelector: {{matchLabels: {{team: {Teams[random.Next(Teams.Length)]}}}}}}}]\n  policyTypes: [Ingress, Egress]\n");
            }

            text.Append("---\n");
        }

        return text.ToString().TrimEnd('\n', '-') + "\n";
    }
}
