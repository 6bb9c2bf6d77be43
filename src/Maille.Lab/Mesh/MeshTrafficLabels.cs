using Maille.Engine.Mesh;

namespace Maille.Lab.Mesh;

/// <summary>
/// The labels of one connection in the node proxy's metrics, Istio's standard TCP labels in ztunnel's order. A value
/// the proxy does not know is <c>unknown</c>, as in Istio. <paramref name="Reporter"/> is <c>source</c> (the client's
/// proxy, outbound) or <c>destination</c> (the server's proxy, inbound); the source principal is set only when it was
/// proved (mTLS) or is the proxy's own workload; the security policy is <c>mutual_tls</c> for HBONE, else
/// <c>unknown</c>.
/// </summary>
internal sealed record MeshTrafficLabels(string Reporter, MeshWorkloadLabels? Source, bool SourceProved, MeshWorkloadLabels? Destination, MeshServiceName? Service, bool MutualTls)
{
    public const string Unknown = "unknown";

    /// <summary>Istio's default cluster name, the one a single-cluster install reports.</summary>
    public const string ClusterName = "Kubernetes";

    /// <summary>No flag: the connection went through.</summary>
    public const string NoFlags = "-";

    /// <summary>An AuthorizationPolicy (or PeerAuthentication) refused the connection.</summary>
    public const string Denied = "DENY";

    /// <summary>The proxy could not connect upstream.</summary>
    public const string ConnectFailed = "CONNECT";

    public static readonly string[] Names =
    [
        "reporter",
        "source_workload", "source_canonical_service", "source_canonical_revision", "source_workload_namespace", "source_principal", "source_app", "source_version", "source_cluster",
        "destination_service", "destination_service_namespace", "destination_service_name",
        "destination_workload", "destination_canonical_service", "destination_canonical_revision", "destination_workload_namespace", "destination_principal", "destination_app", "destination_version", "destination_cluster",
        "request_protocol", "response_flags", "connection_security_policy",
    ];

    /// <summary>The values in the order of <see cref="Names"/>, with <paramref name="flags"/> as <c>response_flags</c>.</summary>
    public string[] Values(string flags) => Values(flags, "tcp");

    /// <summary>The values with <paramref name="protocol"/> as <c>request_protocol</c> (<c>http</c> at a waypoint).</summary>
    public string[] Values(string flags, string protocol) =>
    [
        Reporter,
        Source?.Workload ?? Unknown, Source?.CanonicalService ?? Unknown, Source?.CanonicalRevision ?? Unknown, Source?.Namespace ?? Unknown,
        SourceProved ? Source?.Principal ?? Unknown : Unknown, Source?.CanonicalService ?? Unknown, Source?.CanonicalRevision ?? Unknown, Source is null ? Unknown : ClusterName,
        Service?.Host ?? Unknown, Service?.Namespace ?? Unknown, Service?.Name ?? Unknown,
        Destination?.Workload ?? Unknown, Destination?.CanonicalService ?? Unknown, Destination?.CanonicalRevision ?? Unknown, Destination?.Namespace ?? Unknown,
        Destination?.Principal ?? Unknown, Destination?.CanonicalService ?? Unknown, Destination?.CanonicalRevision ?? Unknown, Destination is null ? Unknown : ClusterName,
        protocol, flags, MutualTls ? "mutual_tls" : Unknown,
    ];
}
