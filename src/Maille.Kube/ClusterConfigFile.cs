namespace Maille.Kube;

/// <summary>The on-disk shape of <c>kind: ClusterConfig</c> (<c>apiVersion: maille.dev/v1alpha1</c>), read with YamlDotNet.</summary>
internal sealed class ClusterConfigFile
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public int? NodeCount { get; set; }

    public List<NodeEntry>? Nodes { get; set; }

    public string? NodeNetwork { get; set; }

    public string? ClusterCIDR { get; set; }

    public int? PodCIDRPrefix { get; set; }

    public string? ServiceCIDR { get; set; }

    public string? NodePortRange { get; set; }

    public List<PoolEntry>? LoadBalancerPools { get; set; }

    public string? DnsDomain { get; set; }

    public string? DnsServiceIP { get; set; }

    public string? Dataplane { get; set; }

    public string? MeshCertificateRotation { get; set; }

    internal sealed class NodeEntry
    {
        public string? Name { get; set; }

        public Dictionary<string, string>? Labels { get; set; }

        public string? PodCIDR { get; set; }

        public string? Address { get; set; }
    }

    internal sealed class PoolEntry
    {
        public string? Name { get; set; }

        public List<string>? Addresses { get; set; }
    }
}
