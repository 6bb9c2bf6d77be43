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
            Owner = ControllerOf(pod.Metadata),
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

        var before = diagnostics.Count;
        var modelSelector = Selector(errors, selector, "spec.selector");
        var selectorIsValid = diagnostics.Count == before;

        // Deployment, ReplicaSet and StatefulSet require a selector and refuse an empty one before looking at the
        // template; DaemonSet does neither up front, compares first and refuses an empty selector after.
        if (kind != WorkloadKind.DaemonSet)
        {
            if (modelSelector is null)
            {
                errors.Required("spec.selector");
            }
            else if (modelSelector.IsEmpty)
            {
                EmptySelector(errors, kind, selector!);
            }
        }

        // An invalid selector cannot be turned into one (LabelSelectorAsSelector fails): Deployment and ReplicaSet say
        // "invalid label selector", StatefulSet says nothing more, DaemonSet stays silent; none compares it with the
        // template.
        if (!selectorIsValid && kind is not WorkloadKind.DaemonSet)
        {
            errors.Invalid("spec.selector", SelectorLiteral(selector!), kind == WorkloadKind.StatefulSet ? "" : "invalid label selector");
        }

        // An absent selector selects nothing, so it never matches the template (the API server reports both that and
        // the missing selector); an empty one matches everything.
        var templateLabels = Labels.From(template?.Metadata?.Labels);
        if (selectorIsValid && (modelSelector is null || (!modelSelector.IsEmpty && !modelSelector.Matches(templateLabels))))
        {
            errors.Invalid("spec.template.metadata.labels", GoLiteral.Map(template?.Metadata?.Labels), "`selector` does not match template `labels`");
        }

        if (kind == WorkloadKind.DaemonSet && modelSelector is { IsEmpty: true })
        {
            EmptySelector(errors, kind, selector!);
        }

        CheckLabels(errors, template?.Metadata?.Labels, "spec.template.metadata.labels");
        return new Workload
        {
            Kind = kind,
            Meta = Meta(meta, ns, source),
            Owner = ControllerOf(meta),
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

    /// <summary>"empty selector is invalid for …", with the selector as the API server prints it (%#v).</summary>
    private static void EmptySelector(FieldErrors errors, WorkloadKind kind, V1LabelSelector selector)
    {
        // ReplicaSet's check says "deployment" too: upstream copied the message.
        var what = kind switch
        {
            WorkloadKind.StatefulSet => "statefulset",
            WorkloadKind.DaemonSet => "daemonset",
            _ => "deployment",
        };
        errors.Invalid("spec.selector", SelectorLiteral(selector), $"empty selector is invalid for {what}");
    }

    /// <summary>A label selector as Go's %#v prints the API server's <c>v1.LabelSelector</c>.</summary>
    private static GoLiteral SelectorLiteral(V1LabelSelector selector)
    {
        var expressions = selector.MatchExpressions is not { Count: > 0 } list
            ? GoLiteral.EmptySlice("v1.LabelSelectorRequirement", selector.MatchExpressions is null).Text
            : "[]v1.LabelSelectorRequirement{" + string.Join(", ", list.Select(r =>
                $"v1.LabelSelectorRequirement{{Key:{Diagnostic.Quote(r.Key ?? "")}, Operator:{Diagnostic.Quote(r.OperatorProperty ?? "")}, Values:"
                + (r.Values is null ? "[]string(nil)" : "[]string{" + string.Join(", ", r.Values.Select(v => Diagnostic.Quote(v ?? ""))) + "}")
                + "}")) + "}";
        return new GoLiteral($"v1.LabelSelector{{MatchLabels:{GoLiteral.Map(selector.MatchLabels).Text}, MatchExpressions:{expressions}}}");
    }

    /// <summary>The controlling owner a dump records (<c>ownerReferences</c> with <c>controller: true</c>, else the first).</summary>
    private static OwnerRef? ControllerOf(V1ObjectMeta? meta) =>
        (meta?.OwnerReferences ?? []).Where(o => o is not null).OrderByDescending(o => o.Controller == true)
            .Select(o => new OwnerRef(o.Kind ?? "", o.Name ?? "")).FirstOrDefault();

    private static PodSpec ConvertPodSpec(FieldErrors errors, V1PodSpec? spec, string path)
    {
        var containers = new List<Container>();
        var names = new HashSet<string>(StringComparer.Ordinal);
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

            // Port names are unique per container, as in validateContainerPorts; the same name in two containers is
            // allowed (the API server only warns, and named target ports then use the first).
            var portNames = new HashSet<string>(StringComparer.Ordinal);
            for (var p = 0; p < declared.Count; p++)
            {
                var port = declared[p];
                var portPath = $"{at}.ports[{p}]";
                if (!string.IsNullOrEmpty(port.Name))
                {
                    var problems = NameRules.PortName(port.Name);
                    foreach (var problem in problems)
                    {
                        errors.Invalid($"{portPath}.name", port.Name, problem);
                    }

                    if (problems.Count == 0 && !portNames.Add(port.Name))
                    {
                        errors.Duplicate($"{portPath}.name", port.Name);
                    }
                }

                // An absent containerPort reads as 0, which the API server reports as missing, not out of range.
                if (port.ContainerPort == 0)
                {
                    errors.Required($"{portPath}.containerPort");
                }
                else
                {
                    CheckPortNumber(errors, port.ContainerPort, $"{portPath}.containerPort");
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

    /// <summary>
    /// validateHandler: the first handler (in the order exec, httpGet, tcpSocket, grpc) is the probe; each further one
    /// is refused on its own field, and only the first one's port is checked.
    /// </summary>
    private static Probe? ConvertProbe(FieldErrors errors, V1Probe? probe, string path)
    {
        if (probe is null)
        {
            return null;
        }

        Probe? chosen = null;
        void Offer(string field, Func<Probe> read)
        {
            if (chosen is null)
            {
                chosen = read();
            }
            else
            {
                errors.Forbidden($"{path}.{field}", "may not specify more than 1 handler type");
            }
        }

        if (probe.Exec is { } exec)
        {
            Offer("exec", () => new Probe { Kind = ProbeKind.Exec, Command = new((exec.Command ?? []).Where(s => s is not null)) });
        }

        if (probe.HttpGet is { } http)
        {
            Offer("httpGet", () => new Probe { Kind = ProbeKind.HttpGet, Port = PortRefOf(errors, http.Port, $"{path}.httpGet.port"), Path = http.Path ?? "/" });
        }

        if (probe.TcpSocket is { } tcp)
        {
            Offer("tcpSocket", () => new Probe { Kind = ProbeKind.TcpSocket, Port = PortRefOf(errors, tcp.Port, $"{path}.tcpSocket.port") });
        }

        if (probe.Grpc is { } grpc)
        {
            Offer("grpc", () => new Probe { Kind = ProbeKind.Grpc, Port = PortRef.FromNumber(grpc.Port) });
        }

        if (chosen is null)
        {
            errors.Required(path, "must specify a handler type");
            return null;
        }

        return chosen with
        {
            InitialDelaySeconds = probe.InitialDelaySeconds ?? 0,
            PeriodSeconds = probe.PeriodSeconds ?? 10,
            FailureThreshold = probe.FailureThreshold ?? 3,
        };
    }
}
