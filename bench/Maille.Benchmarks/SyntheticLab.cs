using System.Globalization;
using System.Text;

namespace Maille.Benchmarks;

/// <summary>
/// The large lab of <c>bench/svc-lab/run.sh</c> (its <c>svclab.py gen</c>): pods client (node-1), server, web-1,
/// web-2, flip-1, flip-2 (node-2); Services iperf, iperf-np (NodePort), flip, and web-0… selecting web-1 and web-2,
/// <c>services</c> in all. Without readiness probes (nothing here runs them).
/// </summary>
internal static class SyntheticLab
{
    public static string Yaml(int services)
    {
        var yaml = new StringBuilder();
        void Pod(string name, string node, string app) => yaml.Append(CultureInfo.InvariantCulture,
            $"apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, namespace: default, labels: {{app: {app}}}}}\nspec:\n  nodeName: {node}\n  containers:\n  - name: c\n    image: example/server\n    ports: [{{containerPort: 80, protocol: TCP}}]\n---\n");
        Pod("client", "node-1", "client");
        Pod("server", "node-2", "server");
        Pod("web-1", "node-2", "web");
        Pod("web-2", "node-2", "web");
        Pod("flip-1", "node-2", "flip");
        Pod("flip-2", "node-2", "flip");
        yaml.Append(Service("iperf", "server", 5201)).Append(Service("iperf-np", "server", 5201, 30521)).Append(Service("flip", "flip", 80));
        for (var i = 0; i < services - 3; i++)
        {
            yaml.Append(Service($"web-{i}", "web", 80));
        }

        return yaml.ToString();
    }

    public static string AddedService(string name) => Service(name, "web", 80);

    private static string Service(string name, string app, int port, int? nodePort = null) => string.Create(CultureInfo.InvariantCulture,
        $"apiVersion: v1\nkind: Service\nmetadata: {{name: {name}, namespace: default}}\nspec:\n  type: {(nodePort is null ? "ClusterIP" : "NodePort")}\n  selector: {{app: {app}}}\n  ports: [{{port: {port}, targetPort: {port}, protocol: TCP{(nodePort is null ? "" : $", nodePort: {nodePort}")}}}]\n---\n");
}
