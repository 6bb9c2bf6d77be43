using Maille.Engine.Ingresses;
using Maille.TestKit;

namespace Maille.Engine.Tests.Ingress;

/// <summary>
/// Clusters for router tests. Namespace "app" with two ready pods (web-a 198.19.1.2 on node-1, web-b on node-2)
/// serving http/8080, Service web (80 → http, 9090 → 9090 named metrics), Service empty (selects nothing), and the
/// default IngressClass "maille" of Maille's controller. Ingresses are added per test.
/// </summary>
internal static class IngressYaml
{
    /// <summary>Namespace "app" and the default IngressClass "maille" of Maille's controller.</summary>
    public const string DefaultClass = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: app}
        ---
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata:
          name: maille
          annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
        spec: {controller: maille.dev/ingress-controller}
        ---

        """;

    public const string Base = DefaultClass + """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-a, namespace: app, labels: {app: web}}
        spec: {nodeName: node-1, containers: [{name: c, ports: [{name: http, containerPort: 8080}, {name: metrics, containerPort: 9090}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-b, namespace: app, labels: {app: web}}
        spec: {nodeName: node-2, containers: [{name: c, ports: [{name: http, containerPort: 8080}, {name: metrics, containerPort: 9090}]}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: app}
        spec:
          selector: {app: web}
          ports: [{name: http, port: 80, targetPort: http}, {name: metrics, port: 9090, targetPort: 9090}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: empty, namespace: app}
        spec:
          selector: {app: nothing}
          ports: [{name: http, port: 80, targetPort: 8080}]

        """;

    /// <summary>An Ingress in "app" named <paramref name="name"/> with one rule of <paramref name="host"/> (null: none) and paths "TYPE PATH" to web:80.</summary>
    public static string Paths(string name, string? host, params string[] paths)
    {
        var yaml = new System.Text.StringBuilder();
        yaml.Append("---\napiVersion: networking.k8s.io/v1\nkind: Ingress\n");
        yaml.Append($"metadata: {{name: {name}, namespace: app}}\nspec:\n  rules:\n  - ");
        if (host is not null)
        {
            yaml.Append($"host: \"{host}\"\n    ");
        }

        yaml.Append("http:\n      paths:\n");
        foreach (var path in paths.Select(p => p.Split(' ')))
        {
            yaml.Append($"      - {{pathType: {path[0]}, path: \"{path[1]}\", backend: {{service: {{name: web, port: {{number: 80}}}}}}}}\n");
        }

        return yaml.ToString();
    }

    public static IngressRouteTable Table(string ingresses) => IngressRouteTable.Build(Cluster.Valid(Base + ingresses));

    /// <summary>"TYPE PATH" of the route a request takes, or "404".</summary>
    public static string Matched(IngressRouteTable table, string host, string path)
    {
        var decision = table.Route(host, path);
        return decision.Route is { } route ? route.IsDefaultBackend ? "default" : $"{route.PathType} {route.Path}" : decision.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
