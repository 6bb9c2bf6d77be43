using System.Globalization;
using System.Text;

namespace Maille.Benchmarks;

/// <summary>
/// A synthetic manifest set: <c>services</c> Deployments of <c>podsPerService</c> replicas, each behind a ClusterIP
/// Service with a named target port, spread over <c>namespaces</c> namespaces. Deterministic text.
/// </summary>
internal static class SyntheticCluster
{
    public static string Yaml(int services, int podsPerService, int namespaces)
    {
        var text = new StringBuilder();
        for (var n = 0; n < namespaces; n++)
        {
            text.Append(CultureInfo.InvariantCulture, $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns-{n}\n---\n");
        }

        for (var s = 0; s < services; s++)
        {
            var ns = $"ns-{s % namespaces}";
            text.Append(CultureInfo.InvariantCulture, $"""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: app-{s}
                  namespace: {ns}
                spec:
                  replicas: {podsPerService}
                  selector:
                    matchLabels:
                      app: app-{s}
                  template:
                    metadata:
                      labels:
                        app: app-{s}
                        tier: backend
                    spec:
                      containers:
                      - name: main
                        image: registry.k8s.io/e2e-test-images/agnhost:2.47
                        ports:
                        - name: http
                          containerPort: 8080
                        - name: metrics
                          containerPort: 9090
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: app-{s}
                  namespace: {ns}
                spec:
                  type: {(s % 10 == 0 ? "NodePort" : "ClusterIP")}
                  selector:
                    app: app-{s}
                  ports:
                  - name: http
                    port: 80
                    targetPort: http
                  - name: metrics
                    port: 9090
                    targetPort: metrics
                ---

                """);
        }

        // No separator after the last document: KubernetesClient's LoadAllFromString refuses an empty one.
        return text.ToString().TrimEnd('\n', '-') + "\n";
    }
}
