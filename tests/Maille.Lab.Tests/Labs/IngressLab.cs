using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Maille.Dataplane.Linux.Lab;
using Maille.TestKit;

namespace Maille.Lab.Tests.Labs;

/// <summary>
/// One running lab for the Ingress tests (a <see cref="LiveLab"/>), brought up with <c>./maille up</c> as a user would
/// and taken down with <c>./maille down</c>. Namespace <c>shop</c>: pods web (node-1), api (node-2), guarded (node-3) serving http/8080 and
/// a client pod (node-3); Services web, api, guarded and gone (selects nothing). Ingresses of the default class
/// <c>maille</c>: <c>site</c> (shop.example: <c>/</c> → web, <c>/api</c> → api by port name, Exact <c>/gone</c> →
/// gone; TLS shop-tls), <c>blog</c> (blog.example → api; TLS blog-tls), <c>guarded</c> (guarded.example → guarded) and
/// <c>live</c> (live.example: <c>/</c> → web, <c>/api</c> → api; TLS live-tls), which only the reload test changes.
/// Each TLS Secret holds its own self-signed certificate made here. The lab adds the controller (maille-system, two
/// pods, LoadBalancer Service maille-ingress); clients outside the cluster use the <c>external</c> namespace.
/// </summary>
internal sealed class IngressLab : IDisposable
{
    public const string Namespace = "shop";

    private readonly LiveLab _lab;

    private IngressLab(LiveLab lab) => _lab = lab;

    public string Name => _lab.Name;

    /// <summary>The controller Service's LoadBalancer address, which the outside reaches.</summary>
    public IPAddress Address { get; private set; } = IPAddress.None;

    /// <summary>The controller Service's ClusterIP, which pods reach.</summary>
    public IPAddress ClusterIP { get; private set; } = IPAddress.None;

    /// <summary>The controller pods' addresses: the source backends see.</summary>
    public IReadOnlyList<string> ControllerPods { get; private set; } = [];

    /// <summary>Thumbprints of the certificates in the Secrets shop-tls, blog-tls and live-tls as brought up.</summary>
    public IReadOnlyDictionary<string, string> Thumbprints { get; private set; } = new Dictionary<string, string>();

    /// <summary>Brings the lab up; on any failure takes down whatever was made, then throws.</summary>
    public static IngressLab Up()
    {
        var lab = new IngressLab(LiveLab.Create());
        try
        {
            lab.Start();
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    /// <summary>HTTP clients from the <c>external</c> namespace to the controller's LoadBalancer address.</summary>
    public NamespaceHttp FromOutside() => new(LabNames.External(Name), Address);

    /// <summary><c>maille apply -f</c> of <paramref name="yaml"/>, which must succeed.</summary>
    public void Apply(string yaml)
    {
        _lab.Succeed("apply", "-f", _lab.File($"apply-{Guid.NewGuid():N}.yaml", yaml));
    }

    /// <summary><c>maille exec TARGET -- curl</c> to the controller at <paramref name="address"/>: the status code and the body.</summary>
    public (string Status, string Body) Curl(string target, IPAddress address, string host, string path)
    {
        var run = _lab.Exec(target, "curl", "-s", "-m", "5", "-H", $"Host: {host}", "-w", "\n%{http_code}", $"http://{address}{path}");
        var cut = run.Stdout.LastIndexOf('\n');
        Assert.True(cut >= 0, $"curl printed nothing: {run.Stderr}");
        return (run.Stdout[(cut + 1)..].Trim(), run.Stdout[..cut]);
    }

    public JsonNode Get(params string[] arguments) => _lab.Get(arguments);

    /// <summary>kubectl with the lab's context.</summary>
    public Kubectl Kubectl(Xunit.Abstractions.ITestOutputHelper output) => new(_lab, output);

    /// <summary>A file of <paramref name="text"/> in the lab's scratch folder; its path.</summary>
    public string File(string name, string text) => _lab.File(name, text);

    public void Dispose() => _lab.Dispose();

    /// <summary>A TLS Secret in <see cref="Namespace"/> with a new certificate for <paramref name="host"/>, and its thumbprint.</summary>
    public static (string Yaml, string Thumbprint) TlsSecret(string name, string host)
    {
        var (crt, key) = TestCertificates.Create(host);
        using var certificate = X509Certificate2.CreateFromPem(crt);
        return (TestCertificates.SecretYaml(Namespace, name, crt, key), certificate.Thumbprint);
    }

    private void Start()
    {
        var secrets = new[] { ("shop-tls", "shop.example"), ("blog-tls", "blog.example"), ("live-tls", "live.example") }
            .Select(s => (s.Item1, Secret: TlsSecret(s.Item1, s.Item2))).ToList();
        Thumbprints = secrets.ToDictionary(s => s.Item1, s => s.Secret.Thumbprint);
        _lab.Succeed("up", "-f", _lab.File("lab.yaml", Manifests + LiveIngress() + string.Concat(secrets.Select(s => s.Secret.Yaml))));
        var controller = Get("svc", "maille-ingress", "-n", "maille-system");
        Address = IPAddress.Parse((string)controller["status"]!["loadBalancer"]!["ingress"]![0]!["ip"]!);
        ClusterIP = IPAddress.Parse((string)controller["spec"]!["clusterIP"]!);
        ControllerPods = [.. Get("pods", "-n", "maille-system")["items"]!.AsArray().Select(p => (string)p!["status"]!["podIP"]!)];
        Assert.Equal(2, ControllerPods.Count);
    }

    /// <summary>The Ingress <c>live</c>, with <paramref name="extraPaths"/> (YAML path items) after its two paths.</summary>
    public static string LiveIngress(params string[] extraPaths) => """
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: live, namespace: shop}
        spec:
          tls: [{hosts: [live.example], secretName: live-tls}]
          rules:
          - host: live.example
            http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
              - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}

        """ + string.Concat(extraPaths.Select(p => $"      - {p}\n"));

    private const string Manifests = """
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata: {name: maille, annotations: {ingressclass.kubernetes.io/is-default-class: "true"}}
        spec: {controller: maille.dev/ingress-controller}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: shop, labels: {app: web}}
        spec: {nodeName: node-1, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: api, namespace: shop, labels: {app: api}}
        spec: {nodeName: node-2, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: guarded, namespace: shop, labels: {app: guarded}}
        spec: {nodeName: node-3, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: client, namespace: shop}
        spec: {nodeName: node-3, containers: [{name: c}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: http}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: shop}
        spec: {selector: {app: api}, ports: [{name: http, port: 80, targetPort: http}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: guarded, namespace: shop}
        spec: {selector: {app: guarded}, ports: [{name: http, port: 80, targetPort: http}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: gone, namespace: shop}
        spec: {selector: {app: nothing}, ports: [{port: 80}]}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: site, namespace: shop}
        spec:
          tls: [{hosts: [shop.example], secretName: shop-tls}]
          rules:
          - host: shop.example
            http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
              - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {name: http}}}}
              - {path: /gone, pathType: Exact, backend: {service: {name: gone, port: {number: 80}}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: blog, namespace: shop}
        spec:
          tls: [{hosts: [blog.example], secretName: blog-tls}]
          rules:
          - host: blog.example
            http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: guarded, namespace: shop}
        spec:
          rules:
          - host: guarded.example
            http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: guarded, port: {number: 80}}}}

        """;
}
