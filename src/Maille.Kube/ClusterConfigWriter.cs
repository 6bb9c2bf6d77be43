using System.Globalization;
using System.Text;
using Maille.Model;

namespace Maille.Kube;

/// <summary>
/// A <see cref="ClusterConfig"/> as a <c>kind: ClusterConfig</c> file that <see cref="ClusterConfigLoader"/> reads back to
/// the same networks, node-port range, pools and DNS: what a lab hands its node agents (<c>maille agent --config</c>),
/// as a ConfigMap does on a real cluster. Nodes are left out: an agent learns them from the API.
/// </summary>
public static class ClusterConfigWriter
{
    public static string Render(ClusterConfig config)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"""
            apiVersion: {ClusterConfig.ApiVersion}
            kind: {ClusterConfig.KindName}
            nodeNetwork: {config.NodeNetwork}
            clusterCIDR: {config.ClusterCidr}
            podCIDRPrefix: {config.PodCidrPrefix}
            serviceCIDR: {config.ServiceCidr}
            nodePortRange: {config.NodePortMin}-{config.NodePortMax}
            dnsDomain: {config.DnsDomain}

            """);
        if (config.DnsServiceIP is { } dns)
        {
            text.Append(CultureInfo.InvariantCulture, $"dnsServiceIP: {dns}\n");
        }

        if (config.Dataplane != DataplaneKind.Nftables)
        {
            text.Append(CultureInfo.InvariantCulture, $"dataplane: {config.Dataplane.ToString().ToLowerInvariant()}\n");
        }

        if (config.MeshCertificateRotation != ClusterConfig.DefaultMeshCertificateRotation)
        {
            text.Append(CultureInfo.InvariantCulture, $"meshCertificateRotation: {(long)config.MeshCertificateRotation.TotalSeconds}s\n");
        }

        text.Append("loadBalancerPools:");
        text.Append(config.LoadBalancerPools.IsEmpty ? " []\n" : "\n");
        foreach (var pool in config.LoadBalancerPools)
        {
            text.Append(CultureInfo.InvariantCulture, $"- name: {pool.Name}\n  addresses: [{string.Join(", ", pool.Addresses)}]\n");
        }

        return text.ToString();
    }
}
