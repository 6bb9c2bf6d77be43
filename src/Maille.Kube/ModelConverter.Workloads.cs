using k8s.Models;
using Maille.Engine.Validation;
using Maille.Model;

namespace Maille.Kube;

internal sealed partial class ModelConverter
{
    public Pod ConvertPod(V1Pod pod, string ns, SourceLocation source)
    {
        var errors = Errors("Pod", ns, pod.Metadata?.Name ?? "", source);
        CheckMeta(errors, pod.Metadata, NameRules.Dns1123Subdomain);
        var spec = ConvertPodSpec(errors, pod.Spec, "spec");
        var status = pod.Status;
        var podIPs = (status?.PodIPs ?? []).Select(p => Address(p.Ip)).OfType<System.Net.IPAddress>().ToList();
        var ready = status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status;
        return new Pod
        {
            Meta = Meta(pod.Metadata, ns, source),
            Spec = spec,
            Status = new PodStatus
            {
                PodIP = Address(status?.PodIP) ?? podIPs.FirstOrDefault(),
                PodIPs = new(podIPs),
                HostIP = Address(status?.HostIP),
                Ready = ready is null ? null : string.Equals(ready, "True", StringComparison.OrdinalIgnoreCase),
                Phase = status?.Phase,
            },
        };
    }

    public Workload ConvertWorkload(WorkloadKind kind, V1ObjectMeta? meta, int? replicas, V1LabelSelector? selector, V1PodTemplateSpec? template, string? serviceName, string ns, SourceLocation source)
    {
        var errors = Errors(kind.ToString(), ns, meta?.Name ?? "", source);
        CheckMeta(errors, meta, NameRules.Dns1123Subdomain);
        if (replicas is < 0)
        {
            errors.Invalid("spec.replicas", replicas.Value, "must be greater than or equal to 0");
        }

        var modelSelector = Selector(errors, selector, "spec.selector");
        if (modelSelector is null)
        {
            errors.Required("spec.selector");
        }
        else if (modelSelector.IsEmpty)
        {
            errors.Invalid("spec.selector", "", "empty selector is invalid for deployment");
        }

        CheckLabels(errors, template?.Metadata?.Labels, "spec.template.metadata.labels");
        var templateLabels = Labels.From(template?.Metadata?.Labels);
        if (modelSelector is { IsEmpty: false } && !modelSelector.Matches(templateLabels))
        {
            errors.Invalid("spec.template.metadata.labels", templateLabels.ToString(), "`selector` does not match template `labels`");
        }

        return new Workload
        {
            Kind = kind,
            Meta = Meta(meta, ns, source),
            Replicas = replicas ?? 1,
            Selector = modelSelector,
            ServiceName = serviceName,
            Template = new PodTemplate
            {
                Labels = templateLabels,
                Annotations = Labels.From(template?.Metadata?.Annotations),
                Spec = ConvertPodSpec(errors, template?.Spec, "spec.template.spec"),
            },
        };
    }

    private static PodSpec ConvertPodSpec(FieldErrors errors, V1PodSpec? spec, string path)
    {
        var containers = new List<Container>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var portNames = new HashSet<string>(StringComparer.Ordinal);
        var list = spec?.Containers ?? [];
        if (list.Count == 0)
        {
            errors.Required($"{path}.containers");
        }

        for (var c = 0; c < list.Count; c++)
        {
            var container = list[c];
            var at = $"{path}.containers[{c}]";
            if (string.IsNullOrEmpty(container.Name))
            {
                errors.Required($"{at}.name");
            }
            else
            {
                foreach (var problem in NameRules.Dns1123Label(container.Name))
                {
                    errors.Invalid($"{at}.name", container.Name, problem);
                }

                if (!names.Add(container.Name))
                {
                    errors.Duplicate($"{at}.name", container.Name);
                }
            }

            var ports = new List<ContainerPort>();
            var declared = container.Ports ?? [];
            for (var p = 0; p < declared.Count; p++)
            {
                var port = declared[p];
                var portPath = $"{at}.ports[{p}]";
                CheckPortNumber(errors, port.ContainerPort, $"{portPath}.containerPort");
                if (port.Name is { } name)
                {
                    foreach (var problem in NameRules.PortName(name))
                    {
                        errors.Invalid($"{portPath}.name", name, problem);
                    }

                    if (!portNames.Add(name))
                    {
                        errors.Duplicate($"{portPath}.name", name);
                    }
                }

                if (port.HostPort is { } hostPort && hostPort != 0)
                {
                    CheckPortNumber(errors, hostPort, $"{portPath}.hostPort");
                    if (spec?.HostNetwork == true && hostPort != port.ContainerPort)
                    {
                        errors.Invalid($"{portPath}.hostPort", hostPort, "must match `containerPort` when `hostNetwork` is true");
                    }
                }

                ports.Add(new ContainerPort(port.Name, port.ContainerPort, ProtocolOf(errors, port.Protocol, $"{portPath}.protocol"), port.HostPort is 0 ? null : port.HostPort));
            }

            containers.Add(new Container
            {
                Name = container.Name ?? "",
                Image = container.Image,
                Command = new((container.Command ?? []).Where(s => s is not null)),
                Args = new((container.Args ?? []).Where(s => s is not null)),
                Ports = new(ports),
                ReadinessProbe = ConvertProbe(errors, container.ReadinessProbe, $"{at}.readinessProbe"),
            });
        }

        return new PodSpec
        {
            Containers = new(containers),
            NodeName = string.IsNullOrEmpty(spec?.NodeName) ? null : spec.NodeName,
            NodeSelector = Labels.From(spec?.NodeSelector),
            HostNetwork = spec?.HostNetwork ?? false,
            Hostname = spec?.Hostname,
            Subdomain = spec?.Subdomain,
        };
    }

    private static Probe? ConvertProbe(FieldErrors errors, V1Probe? probe, string path)
    {
        if (probe is null)
        {
            return null;
        }

        var handlers = new List<Probe>();
        if (probe.HttpGet is { } http)
        {
            handlers.Add(new Probe { Kind = ProbeKind.HttpGet, Port = PortRefOf(errors, http.Port, $"{path}.httpGet.port"), Path = http.Path ?? "/" });
        }

        if (probe.TcpSocket is { } tcp)
        {
            handlers.Add(new Probe { Kind = ProbeKind.TcpSocket, Port = PortRefOf(errors, tcp.Port, $"{path}.tcpSocket.port") });
        }

        if (probe.Exec is { } exec)
        {
            handlers.Add(new Probe { Kind = ProbeKind.Exec, Command = new((exec.Command ?? []).Where(s => s is not null)) });
        }

        if (probe.Grpc is { } grpc)
        {
            handlers.Add(new Probe { Kind = ProbeKind.Grpc, Port = PortRef.FromNumber(grpc.Port) });
        }

        if (handlers.Count != 1)
        {
            errors.Required(path, handlers.Count == 0 ? "must specify a handler type" : "may not specify more than 1 handler type");
            return null;
        }

        return handlers[0] with
        {
            InitialDelaySeconds = probe.InitialDelaySeconds ?? 0,
            PeriodSeconds = probe.PeriodSeconds ?? 10,
            FailureThreshold = probe.FailureThreshold ?? 3,
        };
    }
}
