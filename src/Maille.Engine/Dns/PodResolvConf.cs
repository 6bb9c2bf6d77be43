using Maille.Model;

namespace Maille.Engine.Dns;

/// <summary>
/// The <c>/etc/resolv.conf</c> the kubelet writes for a pod with the default <c>dnsPolicy: ClusterFirst</c>: the
/// cluster DNS Service's address, the pod's namespace then the cluster domain as search path, and <c>ndots:5</c>, so
/// <c>api</c>, <c>api.shop</c> and <c>api.shop.svc</c> all find the Service <c>shop/api</c> from a pod.
/// </summary>
public static class PodResolvConf
{
    /// <summary>
    /// The text for <paramref name="pod"/>, or null for a hostNetwork pod: under <c>ClusterFirst</c> Kubernetes gives
    /// such a pod its node's resolver configuration, not cluster DNS (that takes <c>dnsPolicy:
    /// ClusterFirstWithHostNet</c>, which Maille's model does not carry), so the lab leaves its files alone.
    /// </summary>
    public static string? For(Pod pod, ClusterConfig config) =>
        pod.Spec.HostNetwork ? null : ForNamespace(pod.Namespace, config);

    /// <summary>The ClusterFirst text for any pod of <paramref name="ns"/>.</summary>
    public static string ForNamespace(string ns, ClusterConfig config)
    {
        var domain = DnsNames.Zone(config.DnsDomain).TrimEnd('.');
        return $"nameserver {config.EffectiveDnsServiceIP}\nsearch {ns}.svc.{domain} svc.{domain} {domain}\noptions ndots:5\n";
    }
}
