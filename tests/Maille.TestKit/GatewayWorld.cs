using System.Globalization;
using System.Text;
using Maille.Engine;
using Maille.Engine.Gateways;
using Maille.Model;

namespace Maille.TestKit;

/// <summary>
/// Builds clusters for Gateway API tests from parts, the way the conformance suite's base manifests and each test's
/// manifests are laid out, without pasting manifests: namespaces, backends (a Service on port 8080 with one ready pod,
/// or none), Gateways and their listeners, HTTPRoutes, GRPCRoutes, ReferenceGrants and Secrets.
/// <see cref="Conformance"/> starts from the suite's base: the GatewayClass of Maille's controller, the namespaces
/// gateway-conformance-infra (backends infra-backend-v1..v3), gateway-conformance-app-backend (app-backend-v1, v2) and
/// gateway-conformance-web-backend (web-backend), and the Gateways same-namespace, all-namespaces and
/// backend-namespaces in gateway-conformance-infra, each with one HTTP listener "http" on port 80.
/// </summary>
public sealed class GatewayWorld
{
    public const string Infra = "gateway-conformance-infra";
    public const string AppBackend = "gateway-conformance-app-backend";
    public const string WebBackend = "gateway-conformance-web-backend";
    public const string ClassName = "maille";

    private readonly StringBuilder _yaml = new();
    private int _pods;

    /// <summary>The conformance suite's base world (see the class summary).</summary>
    public static GatewayWorld Conformance()
    {
        var world = new GatewayWorld().Class(ClassName, GatewayApi.ControllerName)
            .Namespace(Infra, ("gateway-conformance", "infra"))
            .Namespace(AppBackend, ("gateway-conformance", "backend"))
            .Namespace(WebBackend, ("gateway-conformance", "backend"))
            .Backend(Infra, "infra-backend-v1").Backend(Infra, "infra-backend-v2").Backend(Infra, "infra-backend-v3")
            .Backend(AppBackend, "app-backend-v1").Backend(AppBackend, "app-backend-v2")
            .Backend(WebBackend, "web-backend");
        world.Gateway(Infra, "same-namespace", Listener.Http("http", 80));
        world.Gateway(Infra, "all-namespaces", Listener.Http("http", 80).From("All"));
        world.Gateway(Infra, "backend-namespaces", Listener.Http("http", 80).FromSelector("gateway-conformance", "backend"));
        return world;
    }

    public GatewayWorld Class(string name, string controller, string? description = null) =>
        Add($"apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {{name: {name}}}\nspec: {{controllerName: {controller}{(description is null ? "" : $", description: {description}")}}}");

    public GatewayWorld Namespace(string name, params (string Key, string Value)[] labels) =>
        Add($"apiVersion: v1\nkind: Namespace\nmetadata: {{name: {name}, labels: {{{string.Join(", ", labels.Select(l => $"{l.Key}: {l.Value}"))}}}}}");

    /// <summary>A Service <paramref name="name"/> on port 8080 (and 9000 for gRPC) with <paramref name="readyPods"/> ready pods behind it.</summary>
    public GatewayWorld Backend(string ns, string name, int readyPods = 1)
    {
        Add($"apiVersion: v1\nkind: Service\nmetadata: {{name: {name}, namespace: {ns}}}\nspec: {{selector: {{app: {name}}}, ports: [{{name: http, port: 8080, targetPort: 3000}}, {{name: grpc, port: 9000, targetPort: 9000}}]}}");
        for (var i = 0; i < readyPods; i++)
        {
            Add($"apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}-{_pods++}, namespace: {ns}, labels: {{app: {name}}}}}\nspec: {{nodeName: node-1, containers: [{{name: c, ports: [{{containerPort: 3000}}, {{containerPort: 9000}}]}}]}}");
        }

        return this;
    }

    public GatewayWorld Gateway(string ns, string name, params Listener[] listeners) => Gateway(ns, name, ClassName, listeners);

    public GatewayWorld Gateway(string ns, string name, string className, params Listener[] listeners) =>
        Add($"apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n  gatewayClassName: {className}\n  listeners:\n{string.Concat(listeners.Select(l => l.Yaml))}");

    /// <summary>
    /// Gateway <paramref name="name"/> of the suite's listener-hostname-matching tests (HTTPRoute's and GRPCRoute's):
    /// four HTTP listeners on port 80, listener-1..4 for bar.com, foo.bar.com, *.bar.com and *.foo.com.
    /// </summary>
    public GatewayWorld ListenerHostnameGateway(string name) => Gateway(Infra, name,
        Listener.Http("listener-1", 80).For("bar.com"),
        Listener.Http("listener-2", 80).For("foo.bar.com"),
        Listener.Http("listener-3", 80).For("*.bar.com"),
        Listener.Http("listener-4", 80).For("*.foo.com"));

    public GatewayWorld Route(Route route) => Add(route.Yaml);

    /// <summary>A ReferenceGrant in <paramref name="ns"/> letting <paramref name="fromKind"/>s of <paramref name="fromNamespace"/> refer to <paramref name="toKind"/>s (named <paramref name="toName"/> only, when given).</summary>
    public GatewayWorld Grant(string ns, string name, string fromKind, string fromNamespace, string toKind, string? toName = null) =>
        Add($"apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n  from: [{{group: gateway.networking.k8s.io, kind: {fromKind}, namespace: {fromNamespace}}}]\n  to: [{{group: \"\", kind: {toKind}{(toName is null ? "" : $", name: {toName}")}}}]");

    /// <summary>A TLS Secret (its data are placeholders: only their presence is checked when planning).</summary>
    public GatewayWorld TlsSecret(string ns, string name, string type = "kubernetes.io/tls") =>
        Add($"apiVersion: v1\nkind: Secret\nmetadata: {{name: {name}, namespace: {ns}}}\ntype: {type}\ndata: {{tls.crt: Y2VydA==, tls.key: a2V5}}");

    /// <summary>A TLS Secret holding a real certificate (a new key) for <paramref name="dnsNames"/>, one a proxy can serve.</summary>
    public GatewayWorld Certificate(string ns, string name, params string[] dnsNames) =>
        Add(TestCertificates.SecretYaml(ns, name, dnsNames).TrimStart().TrimStart('-')); // the Secret's YAML starts a document of its own

    /// <summary>Any object the builder has no part for, as YAML.</summary>
    public GatewayWorld Add(string yaml)
    {
        _yaml.Append(yaml.TrimEnd()).Append("\n---\n");
        return this;
    }

    public string Yaml => _yaml.ToString();

    public ClusterState Cluster() => TestKit.Cluster.Valid(Yaml);

    public GatewayPlan Plan() => GatewayController.Build(Cluster());

    /// <summary>The route table of Gateway <paramref name="ns"/>/<paramref name="name"/>.</summary>
    public GatewayRouteTable Table(string ns = Infra, string name = "same-namespace") => Plan().Tables[$"{ns}/{name}"];
}

/// <summary>A Gateway listener for <see cref="GatewayWorld"/>.</summary>
public sealed record Listener(string Name, int Port, string Protocol)
{
    public string? Hostname { get; init; }

    public string FromNamespaces { get; init; } = "Same";

    public (string Key, string Value)? Selector { get; init; }

    public IReadOnlyList<string> Kinds { get; init; } = [];

    public IReadOnlyList<(string? Namespace, string Name)> Certificates { get; init; } = [];

    public string? TlsMode { get; init; }

    public static Listener Http(string name, int port) => new(name, port, "HTTP");

    public static Listener Https(string name, int port, string secret, string? secretNamespace = null) =>
        new(name, port, "HTTPS") { Certificates = [(secretNamespace, secret)] };

    public Listener For(string hostname) => this with { Hostname = hostname };

    public Listener From(string from) => this with { FromNamespaces = from };

    public Listener FromSelector(string key, string value) => this with { FromNamespaces = "Selector", Selector = (key, value) };

    public Listener OnlyKinds(params string[] kinds) => this with { Kinds = kinds };

    /// <summary>TLS passed through to the backend (a TLS listener's <c>tls.mode: Passthrough</c>), so no certificate.</summary>
    public Listener Passthrough() => this with { TlsMode = "Passthrough" };

    internal string Yaml
    {
        get
        {
            var yaml = new StringBuilder($"  - name: {Name}\n    port: {Port.ToString(CultureInfo.InvariantCulture)}\n    protocol: {Protocol}\n");
            if (Hostname is not null)
            {
                yaml.Append($"    hostname: \"{Hostname}\"\n");
            }

            if (TlsMode is not null)
            {
                yaml.Append($"    tls:\n      mode: {TlsMode}\n");
            }
            else if (Certificates.Count > 0)
            {
                yaml.Append("    tls:\n      certificateRefs:\n");
                foreach (var (ns, name) in Certificates)
                {
                    yaml.Append($"      - {{name: {name}{(ns is null ? "" : $", namespace: {ns}")}}}\n");
                }
            }

            yaml.Append($"    allowedRoutes:\n      namespaces:\n        from: {FromNamespaces}\n");
            if (Selector is var (key, value))
            {
                yaml.Append($"        selector: {{matchLabels: {{{key}: {value}}}}}\n");
            }

            if (Kinds.Count > 0)
            {
                yaml.Append($"      kinds: [{string.Join(", ", Kinds.Select(k => $"{{kind: {k}}}"))}]\n");
            }

            return yaml.ToString();
        }
    }
}
