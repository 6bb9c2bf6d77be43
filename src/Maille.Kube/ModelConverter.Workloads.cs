using k8s.Models;
using Maille.Model;

namespace Maille.Kube;

internal static partial class ModelConverter
{
    public static Pod ConvertPod(V1Pod pod, string ns, SourceLocation source)
    {
        var status = pod.Status;
        var podIPs = (status?.PodIPs ?? []).Select(p => StrictIPAddress.Parse(p.Ip)).OfType<System.Net.IPAddress>().ToList();
        var ready = status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status;
        return new Pod
        {
            Meta = Meta(pod.Metadata, ns, source),
            Owner = ControllerOf(pod.Metadata),
            Spec = ConvertPodSpec(pod.Spec),
            Status = new PodStatus
            {
                PodIP = StrictIPAddress.Parse(status?.PodIP) ?? podIPs.FirstOrDefault(),
                PodIPs = new(podIPs),
                HostIP = StrictIPAddress.Parse(status?.HostIP),
                Ready = ready is null ? null : string.Equals(ready, "True", StringComparison.OrdinalIgnoreCase),
                Phase = status?.Phase,
            },
        };
    }

    public static Workload ConvertWorkload(WorkloadManifest workload, string ns, SourceLocation source) => new()
    {
        Kind = workload.Kind,
        Meta = Meta(workload.Metadata, ns, source),
        Owner = ControllerOf(workload.Metadata),
        OwnerUid = ControllerUidOf(workload.Metadata),
        Replicas = workload.Replicas ?? 1,
        Strategy = StrategyOf(workload.Strategy),
        RevisionHistoryLimit = workload.RevisionHistoryLimit ?? 10,
        Paused = workload.Paused ?? false,
        MinReadySeconds = workload.MinReadySeconds ?? 0,
        ProgressDeadlineSeconds = workload.ProgressDeadlineSeconds ?? 600,
        Selector = Selector(workload.Selector),
        ServiceName = workload.ServiceName,
        PodManagementPolicy = workload.PodManagementPolicy == Workload.Parallel ? Workload.Parallel : Workload.OrderedReady,
        UpdateStrategy = workload.UpdateStrategy ?? SetUpdateStrategy.Default,
        Template = ConvertTemplate(workload.Template),
    };

    public static ControllerRevision ConvertControllerRevision(ControllerRevisionDocument revision, string ns, SourceLocation source) => new()
    {
        Meta = Meta(revision.Metadata, ns, source),
        Owner = ControllerOf(revision.Metadata),
        OwnerUid = ControllerUidOf(revision.Metadata),
        Revision = revision.Revision,
        Template = revision.Data?.Spec?.Template is { } template ? ConvertTemplate(template) : null,
    };

    /// <summary>A pod template; a workload's and a revision of it read alike, so equal templates are equal values.</summary>
    private static PodTemplate ConvertTemplate(V1PodTemplateSpec? template) => new()
    {
        Labels = Labels.From(template?.Metadata?.Labels),
        Annotations = Labels.From(template?.Metadata?.Annotations),
        Spec = ConvertPodSpec(template?.Spec),
    };

    /// <summary>A Deployment's strategy with the API's defaults: RollingUpdate, 25% surge, 25% unavailable.</summary>
    private static DeploymentStrategy StrategyOf(V1DeploymentStrategy? strategy) => strategy?.Type == DeploymentStrategy.Recreate
        ? new DeploymentStrategy { Type = DeploymentStrategy.Recreate }
        : new DeploymentStrategy
        {
            MaxSurge = strategy?.RollingUpdate?.MaxSurge?.Value ?? DeploymentStrategy.Default.MaxSurge,
            MaxUnavailable = strategy?.RollingUpdate?.MaxUnavailable?.Value ?? DeploymentStrategy.Default.MaxUnavailable,
        };

    private static PodSpec ConvertPodSpec(V1PodSpec? spec) => new()
    {
        Containers = new((spec?.Containers ?? []).Select(container => new Container
        {
            Name = container.Name ?? "",
            Image = container.Image,
            Command = new((container.Command ?? []).Where(s => s is not null)),
            Args = new((container.Args ?? []).Where(s => s is not null)),
            Ports = new((container.Ports ?? []).Select(port =>
                new ContainerPort(port.Name, port.ContainerPort, ProtocolOf(port.Protocol), port.HostPort is 0 ? null : port.HostPort))),
            ReadinessProbe = ConvertProbe(container.ReadinessProbe),
        })),
        NodeName = string.IsNullOrEmpty(spec?.NodeName) ? null : spec.NodeName,
        NodeSelector = Labels.From(spec?.NodeSelector),
        HostNetwork = spec?.HostNetwork ?? false,
        Hostname = spec?.Hostname,
        Subdomain = spec?.Subdomain,
        ServiceAccountName = string.IsNullOrEmpty(spec?.ServiceAccountName) ? null : spec.ServiceAccountName,
    };

    /// <summary>The first handler in the order exec, httpGet, tcpSocket, grpc is the probe (validateHandler refuses the others).</summary>
    private static Probe? ConvertProbe(V1Probe? probe)
    {
        var chosen = probe switch
        {
            null => null,
            { Exec: { } exec } => new Probe { Kind = ProbeKind.Exec, Command = new((exec.Command ?? []).Where(s => s is not null)) },
            { HttpGet: { } http } => new Probe { Kind = ProbeKind.HttpGet, Port = PortRefOf(http.Port), Path = http.Path ?? "/" },
            { TcpSocket: { } tcp } => new Probe { Kind = ProbeKind.TcpSocket, Port = PortRefOf(tcp.Port) },
            { Grpc: { } grpc } => new Probe { Kind = ProbeKind.Grpc, Port = PortRef.FromNumber(grpc.Port) },
            _ => null,
        };

        return chosen is null ? null : chosen with
        {
            InitialDelaySeconds = probe!.InitialDelaySeconds ?? 0,
            PeriodSeconds = probe.PeriodSeconds ?? 10,
            FailureThreshold = probe.FailureThreshold ?? 3,
        };
    }
}
