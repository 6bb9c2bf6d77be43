using System.Net.Sockets;
using Maille.Model;

namespace Maille.Engine.Allocation;

/// <summary>
/// A dump of a real cluster carries ClusterIPs from that cluster's Service CIDR (kubeadm's 10.96.0.0/12, say), not
/// from Maille's default. When no configuration was given, the Service CIDR is taken as the smallest network (a /24 at
/// the narrowest, a /12 at the widest) that holds every given ClusterIP, and the cluster DNS address as the
/// <c>kube-system/kube-dns</c> Service's, with a warning that says so. A configuration file always wins.
/// </summary>
internal static class ServiceCidrInference
{
    private const int WidestPrefix = 12;
    private const int NarrowestPrefix = 24;

    public static ClusterConfig Apply(ManifestSet manifests, ClusterConfig config, List<Diagnostic> diagnostics)
    {
        if (config.Source != ClusterConfig.Default.Source)
        {
            return config;
        }

        var given = manifests.Services.Where(s => s.ClusterIP is { AddressFamily: AddressFamily.InterNetwork }).ToList();
        if (given.Count == 0 || given.All(s => config.ServiceCidr.Contains(s.ClusterIP!)))
        {
            return config;
        }

        var addresses = given.Select(s => IpMath.ToUInt32(s.ClusterIP!)).ToList();
        var prefix = NarrowestPrefix;
        while (prefix > WidestPrefix && addresses.Select(a => a >> (32 - prefix)).Distinct().Count() > 1)
        {
            prefix--;
        }

        if (addresses.Select(a => a >> (32 - prefix)).Distinct().Count() > 1)
        {
            // Too far apart to be one Service CIDR: leave the default, and validation names the strays.
            return config;
        }

        var cidr = IpMath.Network(given[0].ClusterIP!, prefix);
        var dns = manifests.Services.FirstOrDefault(s => s.Namespace == "kube-system" && s.Name == "kube-dns")?.ClusterIP;
        diagnostics.Add(new Diagnostic
        {
            Type = FieldErrorType.Warning,
            Detail = $"the input's ClusterIPs lie outside the default Service CIDR {config.ServiceCidr}: using {cidr} (the smallest network that holds them){(dns is null ? "" : $" and cluster DNS {dns}")}; give --config with serviceCIDR to set it",
        });
        return config with { ServiceCidr = cidr, DnsServiceIP = dns ?? IpMath.Offset(cidr, 10), Source = "inferred from the input" };
    }
}
