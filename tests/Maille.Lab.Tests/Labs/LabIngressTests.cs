using System.Text.Json.Nodes;
using Maille.TestKit;

namespace Maille.Lab.Tests.Labs;

// Privileged: Maille's Ingress controller running in a lab (pods in maille-system behind Service maille-ingress),
// reached with real HTTP from a pod through the controller Service's ClusterIP.
public sealed class LabIngressTests
{
    private const string Manifests = """
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata: {name: maille, annotations: {ingressclass.kubernetes.io/is-default-class: "true"}}
        spec: {controller: maille.dev/ingress-controller}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web, labels: {app: web}}
        spec: {nodeName: node-1, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: api, labels: {app: api}}
        spec: {nodeName: node-2, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: client}
        spec: {nodeName: node-3, containers: [{name: c}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: http}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: api}
        spec: {selector: {app: api}, ports: [{name: http, port: 80, targetPort: http}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: gone}
        spec: {selector: {app: nothing}, ports: [{port: 80}]}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: site}
        spec:
          rules:
          - host: shop.example
            http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
              - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {name: http}}}}
              - {path: /gone, pathType: Exact, backend: {service: {name: gone, port: {number: 80}}}}
        """;

    [SkippableFact]
    public void The_controller_routes_by_host_and_path_to_ready_endpoints_from_its_own_pods()
    {
        Privileged.Require();
        var lab = LiveLab.NewLabName();
        var file = Path.Combine(Path.GetTempPath(), $"{lab}.yaml");
        File.WriteAllText(file, Manifests);
        try
        {
            var up = MailleProcess.Run("up", "-f", file, "--lab", lab);
            Assert.True(up.ExitCode == 0, up.Stderr);
            var controller = JsonNode.Parse(MailleProcess.Run("get", "svc", "maille-ingress", "-n", "maille-system", "--lab", lab, "-o", "json").Stdout)!;
            var address = (string)controller["spec"]!["clusterIP"]!;
            var controllerPods = JsonNode.Parse(MailleProcess.Run("get", "pods", "-n", "maille-system", "--lab", lab, "-o", "json").Stdout)!["items"]!.AsArray()
                .Select(p => (string)p!["status"]!["podIP"]!).ToList();
            Assert.Equal(2, controllerPods.Count);

            var root = Curl(lab, address, "shop.example", "/");
            var api = Curl(lab, address, "shop.example", "/api/items?x=1");
            Assert.Equal("default/web", (string)JsonNode.Parse(root.Body)!["pod"]!);
            var seenByApi = JsonNode.Parse(api.Body)!;
            Assert.Equal("default/api", (string)seenByApi["pod"]!);
            Assert.Equal("/api/items", (string)seenByApi["path"]!);
            Assert.Contains(((string)seenByApi["clientIP"]!).Split(':')[0], controllerPods);
            Assert.Equal("shop.example", (string)seenByApi["headers"]!["X-Forwarded-Host"]!);

            Assert.Equal("404", Curl(lab, address, "other.example", "/").Status);
            Assert.Equal("503", Curl(lab, address, "shop.example", "/gone").Status);
            Assert.Equal("default/web", (string)JsonNode.Parse(Curl(lab, address, "shop.example", "/gone/deeper").Body)!["pod"]!);
        }
        finally
        {
            MailleProcess.Run("down", "--lab", lab);
            File.Delete(file);
        }
    }

    /// <summary>curl from the client pod; the status code and the body.</summary>
    private static (string Status, string Body) Curl(string lab, string address, string host, string path)
    {
        var run = MailleProcess.Run("exec", "--lab", lab, "default/client", "--", "curl", "-s", "-m", "5", "-H", $"Host: {host}", "-w", "\n%{http_code}", $"http://{address}{path}");
        var cut = run.Stdout.LastIndexOf('\n');
        return (run.Stdout[(cut + 1)..].Trim(), run.Stdout[..cut]);
    }
}
