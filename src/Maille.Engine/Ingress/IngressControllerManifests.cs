using Maille.Model;

namespace Maille.Engine.Ingresses;

/// <summary>
/// What a lab adds to run Maille's Ingress controller, as an installation would in a cluster: the namespace
/// <c>maille-system</c>, a Deployment of controller pods (labelled <c>app.kubernetes.io/name: maille-ingress</c>, ports
/// <c>http</c> 80, <c>https</c> 443 and <c>metrics</c> 10254) and the LoadBalancer Service <c>maille-ingress</c> in front
/// of them. Added only when the input has Ingresses and does not bring its own controller.
/// </summary>
public static class IngressControllerManifests
{
    /// <summary>Two controller pods: one may go (its node stopped) while the Service still has an endpoint.</summary>
    public const int Replicas = 2;

    /// <summary>Where the controller pods serve Prometheus metrics (ingress-nginx's port).</summary>
    public const int MetricsPort = 10254;

    public static SourceLocation Source { get; } = new("<ingress controller>", null);

    public static ManifestSet WithIngressController(ManifestSet manifests)
    {
        if (manifests.Ingresses.IsEmpty)
        {
            return manifests;
        }

        var result = ManifestNamespaces.Ensure(manifests, MailleIngressController.Namespace, Source);

        if (!manifests.Services.Any(s => s.Namespace == MailleIngressController.Namespace && s.Name == MailleIngressController.ServiceName))
        {
            result = result with { Services = new([.. result.Services, Service()]) };
        }

        if (!manifests.Pods.Any(IsControllerPod) && !manifests.Workloads.Any(w => w.Template.Labels.Get(MailleIngressController.AppLabel) == MailleIngressController.AppLabelValue))
        {
            result = result with { Workloads = new([.. result.Workloads, Deployment()]) };
        }

        return result;
    }

    /// <summary>A pod of Maille's Ingress controller: the lab hands its ports to the Ingress proxy.</summary>
    public static bool IsControllerPod(Pod pod) =>
        pod.Namespace == MailleIngressController.Namespace && pod.Labels.Get(MailleIngressController.AppLabel) == MailleIngressController.AppLabelValue;

    private static Labels ControllerLabels => Labels.Of((MailleIngressController.AppLabel, MailleIngressController.AppLabelValue));

    private static Service Service() => new()
    {
        Meta = new ObjectMeta { Name = MailleIngressController.ServiceName, Namespace = MailleIngressController.Namespace, Labels = ControllerLabels, Source = Source },
        Type = ServiceType.LoadBalancer,
        Selector = ControllerLabels,
        Ports = new[]
        {
            new ServicePort { Name = "http", Port = MailleIngressController.HttpPort, TargetPort = PortRef.FromName("http") },
            new ServicePort { Name = "https", Port = MailleIngressController.HttpsPort, TargetPort = PortRef.FromName("https") },
        },
    };

    private static Workload Deployment() => new()
    {
        Kind = WorkloadKind.Deployment,
        Meta = new ObjectMeta { Name = MailleIngressController.ServiceName, Namespace = MailleIngressController.Namespace, Labels = ControllerLabels, Source = Source },
        Replicas = Replicas,
        Selector = new LabelSelector { MatchLabels = ControllerLabels },
        Template = new PodTemplate
        {
            Labels = ControllerLabels,
            Spec = new PodSpec
            {
                Containers = new[]
                {
                    new Container
                    {
                        Name = "controller",
                        Image = "maille/ingress-controller", // served in the lab daemon's process, not by an image
                        Ports = new[]
                        {
                            new ContainerPort("http", MailleIngressController.HttpPort, Protocol.TCP),
                            new ContainerPort("https", MailleIngressController.HttpsPort, Protocol.TCP),
                            new ContainerPort("metrics", MetricsPort, Protocol.TCP),
                        },
                    },
                },
            },
        },
    };
}
