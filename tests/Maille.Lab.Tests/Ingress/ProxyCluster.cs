using Maille.TestKit;

namespace Maille.Lab.Tests.Ingress;

/// <summary>
/// The cluster the proxy tests route. IP plan: pods get planned addresses in 198.19.0.0/16 (never dialled: the
/// connector maps each pod address and port 8080 to its backend's 127.0.0.1 port). Namespace "app": web-a and web-b
/// (Service web), api-0 (Service api), h2-0 (Service h2, an HTTP/2-only backend), Service empty (no pod). Ingresses:
/// site (shop.example: / → web, /api → api), sockets (any host: /ws → web), h2 (h2.example → h2 over h2c), grpc
/// (grpc.example → h2 as gRPC), none (none.example → empty), secure (TLS: a.example with Secret a-tls, b.example with
/// b-tls, missing.example with a Secret that does not exist; all → web).
/// </summary>
internal static class ProxyCluster
{
    public const string Workloads = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: app}
        ---
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata: {name: maille, annotations: {ingressclass.kubernetes.io/is-default-class: "true"}}
        spec: {controller: maille.dev/ingress-controller}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-a, namespace: app, labels: {app: web}}
        spec: {nodeName: node-1, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-b, namespace: app, labels: {app: web}}
        spec: {nodeName: node-2, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: api-0, namespace: app, labels: {app: api}}
        spec: {nodeName: node-1, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: h2-0, namespace: app, labels: {app: h2}}
        spec: {nodeName: node-2, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: app}
        spec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: http}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: app}
        spec: {selector: {app: api}, ports: [{name: http, port: 80, targetPort: http}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: h2, namespace: app}
        spec: {selector: {app: h2}, ports: [{name: http, port: 80, targetPort: http}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: empty, namespace: app}
        spec: {selector: {app: nothing}, ports: [{name: http, port: 80, targetPort: 8080}]}

        """;

    public const string Ingresses = """
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: site, namespace: app}
        spec:
          rules:
          - host: shop.example
            http:
              paths:
              - {pathType: Prefix, path: /, backend: {service: {name: web, port: {number: 80} } } }
              - {pathType: Prefix, path: /api, backend: {service: {name: api, port: {name: http} } } }
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: sockets, namespace: app}
        spec:
          rules:
          - http:
              paths:
              - {pathType: Prefix, path: /ws, backend: {service: {name: web, port: {number: 80} } } }
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: h2, namespace: app, annotations: {maille.dev/backend-protocol: H2C}}
        spec:
          rules:
          - host: h2.example
            http:
              paths:
              - {pathType: Prefix, path: /, backend: {service: {name: h2, port: {number: 80} } } }
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: grpc, namespace: app, annotations: {maille.dev/backend-protocol: GRPC}}
        spec:
          rules:
          - host: grpc.example
            http:
              paths:
              - {pathType: Prefix, path: /, backend: {service: {name: h2, port: {number: 80} } } }
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: none, namespace: app}
        spec:
          rules:
          - host: none.example
            http:
              paths:
              - {pathType: Prefix, path: /, backend: {service: {name: empty, port: {number: 80} } } }
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: secure, namespace: app}
        spec:
          tls:
          - {hosts: [a.example], secretName: a-tls}
          - {hosts: [b.example], secretName: b-tls}
          - {hosts: [missing.example], secretName: absent}
          rules:
          - host: a.example
            http: {paths: [{pathType: Prefix, path: /, backend: {service: {name: web, port: {number: 80} } } }]}
          - host: b.example
            http: {paths: [{pathType: Prefix, path: /, backend: {service: {name: web, port: {number: 80} } } }]}
          - host: missing.example
            http: {paths: [{pathType: Prefix, path: /, backend: {service: {name: web, port: {number: 80} } } }]}

        """;

    /// <summary>Everything, with fresh certificates for a.example and b.example.</summary>
    public static string All() => Workloads + Ingresses
        + TestCertificates.SecretYaml("app", "a-tls", "a.example")
        + TestCertificates.SecretYaml("app", "b-tls", "b.example");
}
