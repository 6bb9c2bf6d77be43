using System.Globalization;
using Maille.Engine.Gateways;
using Maille.Engine.Ingresses;
using Maille.Kube;
using Maille.Kube.Views;
using Maille.TestKit;

namespace Maille.Engine.Tests.Gateway;

/// <summary>
/// Manifests with Ingresses, converted by <see cref="IngressConversion"/> and written as the CLI writes them
/// (<see cref="ConvertView.Yaml"/>), then planned again beside the originals: the Ingress controller's decision
/// (<see cref="IngressRouteTable"/>) and the Gateway's (<see cref="GatewayRouteTable"/>) for one request, each as the
/// backend <c>ns/service:port</c> it goes to, or the status when it goes to none.
/// </summary>
internal sealed class IngressGatewayComparison
{
    /// <summary>The start of the conversion fixtures' paths (TestKit's named fixtures), from the repository root.</summary>
    public const string Fixtures = "tests/Maille.TestKit/fixtures/ingress-to-gateway-";

    private readonly IngressRouteTable _ingresses;
    private readonly GatewayRouteTable _gateway;

    public IngressGatewayComparison(params string[] paths)
    {
        var sources = ManifestFiles.Read(paths.Select(p => Path.Combine(Cluster.RepositoryRoot, p)), TextReader.Null, out var errors);
        Assert.Empty(errors);
        Original = Planned(sources);
        Result = IngressConversion.Convert(Original, new IngressConversionOptions());
        Converted = ConvertView.Yaml(Result);
        var gatewayCluster = Planned([.. sources, new ManifestSource("converted.yaml", Converted)]);
        _ingresses = IngressRouteTable.Build(Original);
        var gateway = Assert.Single(Result.Gateways);
        _gateway = GatewayController.Build(gatewayCluster).Tables[gateway.Meta.QualifiedName];
    }

    public ClusterState Original { get; }

    public IngressConversionResult Result { get; }

    /// <summary>The written manifests.</summary>
    public string Converted { get; }

    /// <summary>
    /// Requests derived from every Ingress: each host (a wildcard's as one label under it, and the TLS hosts over
    /// HTTPS too) and an unknown host, each with <c>/</c> and, for every Ingress path, the path itself, with its
    /// trailing slash toggled, one element deeper, a sibling, and its last element changed.
    /// </summary>
    public IReadOnlyList<(string Scheme, string Host, string Path)> Requests()
    {
        var ingresses = Original.Ingresses;
        var hosts = ingresses.SelectMany(i => i.Rules).Select(r => r.Host).OfType<string>()
            .Select(h => h.StartsWith("*.", StringComparison.Ordinal) ? "one" + h[1..] : h)
            .Append("unknown.invalid").Distinct(StringComparer.Ordinal).ToList();
        var tlsHosts = ingresses.SelectMany(i => i.Tls.SelectMany(t => t.Hosts.IsEmpty ? i.Rules.Select(r => r.Host).OfType<string>() : t.Hosts)).ToHashSet(StringComparer.Ordinal);
        var paths = new SortedSet<string>(StringComparer.Ordinal) { "/" };
        foreach (var path in ingresses.SelectMany(i => i.Rules).SelectMany(r => r.Paths).Select(p => p.Path).OfType<string>())
        {
            var trimmed = path.TrimEnd('/');
            var parent = trimmed[..Math.Max(trimmed.LastIndexOf('/'), 0)];
            paths.UnionWith([path, path.EndsWith('/') ? (trimmed.Length > 0 ? trimmed : "/") : path + "/", trimmed + "/deeper", parent + "/sibling", trimmed.Length > 0 ? trimmed + "x" : "/x"]);
        }

        return [.. hosts.SelectMany(h => (tlsHosts.Contains(h) ? new[] { "http", "https" } : ["http"]).SelectMany(s => paths.Select(p => (s, h, p))))];
    }

    public string ByIngress(string host, string path)
    {
        var decision = _ingresses.Route(host, path);
        return decision.Route is not { } route ? Code(decision.StatusCode)
            : decision.Outcome == IngressOutcome.Unsupported ? Code(decision.StatusCode)
            : $"{route.ServiceName}:{route.ServicePort?.Port.ToString(CultureInfo.InvariantCulture) ?? route.Backend.Service?.Port.ToString()}";
    }

    public string ByGateway(string scheme, string host, string path)
    {
        var decision = _gateway.Match(new GatewayRequest { Scheme = scheme, Host = host, Path = path });
        return decision.Backend is { } backend ? $"{backend.Service}:{backend.Port.ToString(CultureInfo.InvariantCulture)}" : Code(decision.Status);
    }

    /// <summary>Every request on which the two disagree, as <c>scheme://host/path: ingress ≠ gateway</c>.</summary>
    public IReadOnlyList<string> Differences() =>
        [.. Requests()
            .Select(r => (r, Ingress: ByIngress(r.Host, r.Path), Gateway: ByGateway(r.Scheme, r.Host, r.Path)))
            .Where(x => x.Ingress != x.Gateway)
            .Select(x => $"{x.r.Scheme}://{x.r.Host}{x.r.Path}: {x.Ingress} ≠ {x.Gateway}")];

    private static string Code(int status) => status.ToString(CultureInfo.InvariantCulture);

    private static ClusterState Planned(IReadOnlyList<ManifestSource> sources)
    {
        var result = Cluster.Plan(sources);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Cluster!;
    }
}
