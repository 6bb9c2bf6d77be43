using Maille.Engine.Ingresses;
using Maille.Model;

namespace Maille.Engine.Workloads;

/// <summary>
/// What a lab whose node agents run as processes (<c>maille up --agents process</c>) adds so that they show as a
/// cluster shows its kube-proxy: the namespace <c>maille-system</c> and a DaemonSet <c>maille-agent</c> of hostNetwork
/// pods, one per node, labelled <c>app.kubernetes.io/name: maille-agent</c>, whose readiness probe is the agent's own
/// <c>GET /healthz</c> on the node's address (port <see cref="HealthzPort"/>). The container has no command: the lab's
/// daemon starts and supervises the agent processes, and the pods are how the API shows them (readiness, restarts).
/// </summary>
public static class NodeAgentManifests
{
    public const string Name = "maille-agent";

    public const string AppLabel = "app.kubernetes.io/name";

    /// <summary>The agent's health port (<c>maille agent --healthz-bind-address</c>'s default, beside kube-proxy's 10256).</summary>
    public const int HealthzPort = 10266;

    public static SourceLocation Source { get; } = new("<node agents>", null);

    /// <summary><paramref name="manifests"/> with the namespace (when missing) and the DaemonSet (unless the input has one of that name).</summary>
    public static ManifestSet WithAgentDaemonSet(ManifestSet manifests)
    {
        var result = ManifestNamespaces.Ensure(manifests, MailleIngressController.Namespace, Source);

        if (!manifests.Workloads.Any(w => w.Meta.Namespace == MailleIngressController.Namespace && w.Meta.Name == Name))
        {
            result = result with { Workloads = new([.. result.Workloads, DaemonSet()]) };
        }

        return result;
    }

    /// <summary>A pod of the lab's agent DaemonSet: the agent of its node.</summary>
    public static bool IsAgentPod(Pod pod) =>
        pod.Namespace == MailleIngressController.Namespace && pod.Spec.HostNetwork && pod.Labels.Get(AppLabel) == Name;

    private static Labels AgentLabels => Labels.Of((AppLabel, Name));

    private static Workload DaemonSet() => new()
    {
        Kind = WorkloadKind.DaemonSet,
        Meta = new ObjectMeta { Name = Name, Namespace = MailleIngressController.Namespace, Labels = AgentLabels, Source = Source },
        Selector = new LabelSelector { MatchLabels = AgentLabels },
        Template = new PodTemplate
        {
            Labels = AgentLabels,
            Spec = new PodSpec
            {
                HostNetwork = true,
                Containers = new[]
                {
                    new Container
                    {
                        Name = "agent",
                        Image = "maille/agent", // run by the lab daemon's supervisor, not by an image
                        ReadinessProbe = new Probe { Kind = ProbeKind.HttpGet, Port = PortRef.FromNumber(HealthzPort), Path = "/healthz", PeriodSeconds = 5, FailureThreshold = 3 },
                    },
                },
            },
        },
    };
}
