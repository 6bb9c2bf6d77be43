using System.Globalization;
using System.Text;

namespace Maille.TestKit;

/// <summary>
/// Seeded random pods and Services: pods in namespaces ns0–ns2 with labels k0–k2 = v0–v2 (a small alphabet, so
/// selectors overlap), a container port named http on 8000 or 8001, one in five unschedulable (no node, no address);
/// Services of one to three selector labels (one in eight without a selector) on port 80 to http or 8000, some of
/// them NodePort. The same seed always gives the same YAML.
/// </summary>
public static class RandomServices
{
    public static string Yaml(int seed, int pods = 60, int services = 40)
    {
        var random = new Random(seed);
        var yaml = new StringBuilder();
        string Labels(int count) => string.Join(", ", Enumerable.Range(0, count).Select(_ => random.Next(3)).Distinct()
            .Select(k => $"k{k}: v{random.Next(3)}"));
        for (var i = 0; i < pods; i++)
        {
            var nodeSelector = random.Next(5) == 0 ? "{disk: none}" : "{}";
            yaml.Append(CultureInfo.InvariantCulture, $"apiVersion: v1\nkind: Pod\nmetadata: {{name: p{i}, namespace: ns{random.Next(3)}, labels: {{{Labels(random.Next(4))}}}}}\n")
                .Append(CultureInfo.InvariantCulture, $"spec: {{nodeSelector: {nodeSelector}, containers: [{{name: c, image: x, ports: [{{name: http, containerPort: {8000 + random.Next(2)}}}]}}]}}\n---\n");
        }

        for (var i = 0; i < services; i++)
        {
            yaml.Append(Service(random, $"s{i}", Labels(1 + random.Next(3))));
        }

        return yaml.ToString();
    }

    /// <summary>One more Service of the same vocabulary (<paramref name="selector"/> like <c>k0: v1</c>, or empty for none).</summary>
    public static string Service(string name, string ns, string selector, int port = 80, bool nodePort = false) =>
        $"apiVersion: v1\nkind: Service\nmetadata: {{name: {name}, namespace: {ns}}}\n"
        + $"spec: {{{(nodePort ? "type: NodePort, " : "")}{(selector.Length == 0 ? "" : $"selector: {{{selector}}}, ")}ports: [{{port: {port}, targetPort: http}}]}}\n---\n";

    private static string Service(Random random, string name, string selector)
    {
        var ns = $"ns{random.Next(3)}";
        var withSelector = random.Next(8) != 0;
        var type = random.Next(4) == 0 ? "type: NodePort, " : "";
        var target = random.Next(2) == 0 ? "http" : "8000";
        return $"apiVersion: v1\nkind: Service\nmetadata: {{name: {name}, namespace: {ns}}}\n"
            + $"spec: {{{type}{(withSelector ? $"selector: {{{selector}}}, " : "")}ports: [{{port: 80, targetPort: {target}}}]}}\n---\n";
    }
}
