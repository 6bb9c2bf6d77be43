using Maille.Model;

namespace Maille.Engine.Dns;

/// <summary>
/// The objects a live lab adds so that cluster DNS is an ordinary Service: Namespace <c>kube-system</c>, a
/// Deployment <c>coredns</c> of <see cref="DnsReplicas"/> pods labelled <c>k8s-app: kube-dns</c> with ports
/// <c>dns</c> 53/UDP and <c>dns-tcp</c> 53/TCP, and Service <c>kube-system/kube-dns</c> selecting them at the
/// configured DNS address. Planned like the user's objects, the DNS pods get node, address and EndpointSlices, and
/// the DNS Service gets the same proxy rules and policy verdicts as any other. Offline analysis does not call this,
/// so its results do not change.
/// </summary>
public static class SystemManifests
{
    public const string SystemNamespace = "kube-system";

    public const string DnsServiceName = "kube-dns";

    public const string DnsDeploymentName = "coredns";

    /// <summary>The label Kubernetes distributions put on their DNS pods, and what the DNS Service selects.</summary>
    public const string DnsAppLabel = "k8s-app";

    public const string DnsAppValue = "kube-dns";

    /// <summary>Two, as kubeadm deploys: a DNS pod may go (a node taken down) while names still resolve.</summary>
    public const int DnsReplicas = 2;

    /// <summary>Where these objects "come from" in messages about them.</summary>
    public static SourceLocation Source { get; } = new("<cluster DNS>", null);

    /// <summary>
    /// <paramref name="manifests"/> with the cluster DNS objects added, each only when the input lacks it: a dump of a
    /// real cluster brings its own <c>kube-dns</c> Service and DNS pods (and the DNS address is then taken from that
    /// Service), and declaring them twice would be a duplicate. Call it with the configuration that will plan the set.
    /// </summary>
    public static ManifestSet WithClusterDns(ManifestSet manifests, ClusterConfig config)
    {
        var result = ManifestNamespaces.Ensure(manifests, SystemNamespace, Source);

        if (!manifests.Services.Any(s => s.Namespace == SystemNamespace && s.Name == DnsServiceName))
        {
            result = result with { Services = new([.. manifests.Services, DnsService(config)]) };
        }

        var hasDnsPods = manifests.Pods.Any(IsClusterDnsPod)
            || manifests.Workloads.Any(w => w.Meta.Namespace == SystemNamespace
                && (w.Meta.Name == DnsDeploymentName || w.Template.Labels.Get(DnsAppLabel) == DnsAppValue));
        if (!hasDnsPods)
        {
            result = result with { Workloads = new([.. manifests.Workloads, DnsDeployment()]) };
        }

        return result;
    }

    /// <summary>A pod that serves cluster DNS: in <c>kube-system</c>, labelled <c>k8s-app: kube-dns</c>. The lab hands its port-53 sockets to the DNS server.</summary>
    public static bool IsClusterDnsPod(Pod pod) => pod.Namespace == SystemNamespace && pod.Labels.Get(DnsAppLabel) == DnsAppValue;

    private static Labels DnsLabels => Labels.Of((DnsAppLabel, DnsAppValue));

    private static Service DnsService(ClusterConfig config) => new()
    {
        Meta = new ObjectMeta { Name = DnsServiceName, Namespace = SystemNamespace, Labels = DnsLabels, Source = Source },
        Selector = DnsLabels,
        ClusterIP = config.EffectiveDnsServiceIP,
        Ports = new[]
        {
            new ServicePort { Name = "dns", Protocol = Protocol.UDP, Port = 53, TargetPort = PortRef.FromNumber(53) },
            new ServicePort { Name = "dns-tcp", Protocol = Protocol.TCP, Port = 53, TargetPort = PortRef.FromNumber(53) },
        },
    };

    private static Workload DnsDeployment() => new()
    {
        Kind = WorkloadKind.Deployment,
        Meta = new ObjectMeta { Name = DnsDeploymentName, Namespace = SystemNamespace, Labels = DnsLabels, Source = Source },
        Replicas = DnsReplicas,
        Selector = new LabelSelector { MatchLabels = DnsLabels },
        Template = new PodTemplate
        {
            Labels = DnsLabels,
            Spec = new PodSpec
            {
                Containers = new[]
                {
                    new Container
                    {
                        Name = "coredns",
                        Image = "maille/cluster-dns", // served in the lab daemon's process, not by an image
                        Ports = new[] { new ContainerPort("dns", 53, Protocol.UDP), new ContainerPort("dns-tcp", 53, Protocol.TCP) },
                    },
                },
            },
        },
    };
}
