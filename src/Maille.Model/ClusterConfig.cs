using System.Net;

namespace Maille.Model;

/// <summary>
/// The shape of the cluster (kind <c>ClusterConfig</c>, apiVersion <c>maille.dev/v1alpha1</c>). Every default sits
/// inside 198.18.0.0/15, the range reserved for network testing.
/// </summary>
public sealed record ClusterConfig
{
    public const string ApiVersion = "maille.dev/v1alpha1";

    public const string KindName = "ClusterConfig";

    public static ClusterConfig Default { get; } = new();

    /// <summary>Explicit nodes; when empty, <see cref="NodeCount"/> nodes named <c>node-1</c>… are made (unless Node objects are given).</summary>
    public EquatableArray<NodeConfig> Nodes { get; init; } = EquatableArray<NodeConfig>.Empty;

    public int NodeCount { get; init; } = 3;

    /// <summary>The underlay shared by nodes; node N gets host N+1 (.1 is kept for the lab's gateway side).</summary>
    public IPNetwork NodeNetwork { get; init; } = IPNetwork.Parse("198.18.0.0/24");

    /// <summary>Pod CIDRs are carved from here, one <see cref="PodCidrPrefix"/> per node in node order.</summary>
    public IPNetwork ClusterCidr { get; init; } = IPNetwork.Parse("198.19.0.0/16");

    public int PodCidrPrefix { get; init; } = 24;

    public IPNetwork ServiceCidr { get; init; } = IPNetwork.Parse("198.18.128.0/17");

    public int NodePortMin { get; init; } = 30000;

    public int NodePortMax { get; init; } = 32767;

    public EquatableArray<AddressPoolConfig> LoadBalancerPools { get; init; } =
        new[] { new AddressPoolConfig("default", new[] { "198.18.0.200-198.18.0.250" }) };

    public string DnsDomain { get; init; } = "cluster.local";

    /// <summary>The cluster DNS Service IP; by Kubernetes' convention the tenth address of the Service CIDR.</summary>
    public IPAddress? DnsServiceIP { get; init; }

    public IPAddress EffectiveDnsServiceIP => DnsServiceIP ?? IpMath.Offset(ServiceCidr, 10);

    /// <summary>The lab's data plane (<c>dataplane: nftables|ebpf</c>); <c>maille up --dataplane</c> overrides it.</summary>
    public DataplaneKind Dataplane { get; init; } = DataplaneKind.Nftables;

    /// <summary>
    /// How often a lab's node proxies replace each meshed pod's workload certificate (<c>meshCertificateRotation</c>,
    /// <c>maille up --mesh-certificate-rotation</c>). A certificate is valid for three times this (Istio's are renewed
    /// at half their lifetime; here at a third): current for one period, used by the connections made with it for one
    /// more, and a third to spare for a late rotation, so it outlives every tunnel opened with it (docs/mesh.md).
    /// </summary>
    public TimeSpan MeshCertificateRotation { get; init; } = DefaultMeshCertificateRotation;

    /// <summary>Istio's: certificates valid 24 hours, renewed after 12.</summary>
    public static TimeSpan DefaultMeshCertificateRotation => TimeSpan.FromHours(12);

    /// <summary>The shortest rotation period accepted: shorter would make the proxies spend their time signing.</summary>
    public static TimeSpan MinimumMeshCertificateRotation => TimeSpan.FromSeconds(10);

    /// <summary>
    /// When a running lab first made its nodes: the creation time of the Nodes it makes itself (from this configuration,
    /// or named by a pod). A lab's daemon keeps it in its state folder; a plan of files has none.
    /// </summary>
    public DateTimeOffset? NodesCreated { get; init; }

    /// <summary>Where this configuration came from, for messages.</summary>
    public string Source { get; init; } = "defaults";
}
