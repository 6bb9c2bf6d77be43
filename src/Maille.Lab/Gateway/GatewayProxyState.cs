using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Collections.Immutable;
using Maille.Engine;
using Maille.Engine.Gateways;
using Maille.Engine.Ingresses;
using Maille.Lab.Workloads;
using Maille.Model;

namespace Maille.Lab.Gateways;

/// <summary>
/// What the proxy needs to serve the Gateways of one cluster state: each proxy pod's Gateway and its route table (the
/// engine's, from <see cref="GatewayPlans"/>), the ready endpoints of each backend (read once per state, when first
/// asked), and which certificate each HTTPS listener presents. Swapped whole with the Ingress routes on update.
/// </summary>
internal sealed class GatewayProxyState
{
    private readonly FrozenDictionary<PodId, GatewayRouteTable> _byPod;
    private readonly FrozenDictionary<string, Gateway> _gateways;
    private readonly ConcurrentDictionary<(string Service, int Port, bool Grpc), (ImmutableArray<IngressEndpoint> Endpoints, BackendProtocol Protocol)> _endpoints = new();
    private readonly ConcurrentDictionary<(string Kind, string Namespace, GatewayBackendRef Backend), ImmutableArray<IngressEndpoint>> _mirrors = new();

    private GatewayProxyState(ClusterState? cluster)
    {
        Cluster = cluster;
        var plan = cluster is null ? GatewayPlan.Empty : GatewayPlans.Of(cluster);
        _gateways = (cluster?.Gateways ?? []).Where(g => plan.Tables.ContainsKey(g.Meta.QualifiedName)).ToFrozenDictionary(g => g.Meta.QualifiedName, StringComparer.Ordinal);
        _byPod = (cluster?.Pods ?? []).Where(GatewayProxyManifests.IsProxyPod)
            .Select(p => (Pod: PodId.From(p), Table: plan.Tables.GetValueOrDefault(GatewayProxyManifests.GatewayOf(p))))
            .Where(p => p.Table is not null)
            .ToFrozenDictionary(p => p.Pod, p => p.Table!);
    }

    public static GatewayProxyState Empty { get; } = new(null);

    public ClusterState? Cluster { get; }

    public static GatewayProxyState Of(ClusterState cluster) => new(cluster);

    /// <summary>The route table of the Gateway whose proxy pod accepted the connection; null when that pod serves none (any more).</summary>
    public GatewayRouteTable? TableFor(PodId pod) => _byPod.GetValueOrDefault(pod);

    /// <summary>The ready endpoints of a decided backend, and how to speak to them.</summary>
    public (ImmutableArray<IngressEndpoint> Endpoints, BackendProtocol Protocol) Endpoints(string service, int port, bool grpc) =>
        Cluster is null ? ([], BackendProtocol.Http) : _endpoints.GetOrAdd((service, port, grpc), key => GatewayBackendEndpoints.Of(Cluster, key.Service, key.Port, key.Grpc));

    /// <summary>
    /// The ready endpoints of a RequestMirror's backend, resolved as a backendRef (empty when it does not resolve or
    /// has none ready: the mirror is then skipped, the request itself is not affected).
    /// </summary>
    public ImmutableArray<IngressEndpoint> Mirror(string routeKind, string routeNamespace, GatewayBackendRef backend) =>
        Cluster is null ? [] : _mirrors.GetOrAdd((routeKind, routeNamespace, backend), key =>
            GatewayBackendEndpoints.Mirror(Cluster, key.Kind, key.Namespace, key.Backend) is { Status: 200 } resolved
                ? Endpoints(resolved.Service, resolved.Port, grpc: false).Endpoints
                : []);

    /// <summary>
    /// The Secret (<c>namespace/name</c>) whose certificate answers TLS server name <paramref name="serverName"/> on a
    /// proxy pod's port: the first certificateRef of the listener the engine chooses for that name; null when none.
    /// </summary>
    public string? CertificateSecretFor(PodPort port, string? serverName)
    {
        if (TableFor(port.Pod) is not { } table || table.ListenerFor(port.Port, "HTTPS", serverName) is not { CertificateRefs: [var first, ..] }
            || !_gateways.TryGetValue(table.Gateway, out var gateway))
        {
            return null;
        }

        return $"{first.Namespace ?? gateway.Namespace}/{first.Name}";
    }

    /// <summary>The Secrets the HTTPS listeners of the programmed Gateways refer to (their certificates are loaded with the Ingresses').</summary>
    public IEnumerable<Secret> Secrets()
    {
        if (Cluster is null)
        {
            return [];
        }

        var secrets = Cluster.Secrets.ToDictionary(s => s.Meta.QualifiedName, StringComparer.Ordinal);
        return _gateways.Values
            .SelectMany(g => g.Listeners.Where(l => l.Protocol == "HTTPS").SelectMany(l => l.CertificateRefs).Select(c => $"{c.Namespace ?? g.Namespace}/{c.Name}"))
            .Distinct(StringComparer.Ordinal)
            .Select(secrets.GetValueOrDefault)
            .OfType<Secret>();
    }
}
