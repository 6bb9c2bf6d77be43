using k8s.Models;
using Maille.Engine.Validation;

namespace Maille.Kube.Validation;

/// <summary>
/// ValidatePodSpec for what Maille runs: containers (names, ports, hostPort with hostNetwork) and readiness probes; a
/// Pod's <c>spec</c> and a workload's <c>spec.template.spec</c> alike.
/// </summary>
internal static class PodSpecValidator
{
    public static void Validate(FieldErrors errors, V1PodSpec? spec, string path)
    {
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

            ValidateContainerPorts(errors, container.Ports ?? [], spec?.HostNetwork == true, at);
            ValidateProbe(errors, container.ReadinessProbe, $"{at}.readinessProbe");
        }
    }

    /// <summary>
    /// validateContainerPorts: port names are unique per container; the same name in two containers is allowed (the API
    /// server only warns, and named target ports then use the first).
    /// </summary>
    private static void ValidateContainerPorts(FieldErrors errors, IList<V1ContainerPort> declared, bool hostNetwork, string at)
    {
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
                PortFieldValidator.ValidateNumber(errors, port.ContainerPort, $"{portPath}.containerPort");
            }

            if (port.HostPort is { } hostPort && hostPort != 0)
            {
                PortFieldValidator.ValidateNumber(errors, hostPort, $"{portPath}.hostPort");
                if (hostNetwork && hostPort != port.ContainerPort)
                {
                    errors.Invalid($"{portPath}.hostPort", hostPort, "must match `containerPort` when `hostNetwork` is true");
                }
            }

            PortFieldValidator.ValidateProtocol(errors, port.Protocol, $"{portPath}.protocol");
        }
    }

    /// <summary>
    /// validateHandler: the first handler (in the order exec, httpGet, tcpSocket, grpc) is the probe; each further one
    /// is refused on its own field, and only the first one's port is checked.
    /// </summary>
    private static void ValidateProbe(FieldErrors errors, V1Probe? probe, string path)
    {
        if (probe is null)
        {
            return;
        }

        // The handlers given, in validateHandler's order, with the port to check: exec names none, and Maille does not
        // check a gRPC port (it never has; kept so that no input changes its errors).
        var handlers = new List<(string Field, IntOrString? Port)>();
        if (probe.Exec is not null)
        {
            handlers.Add(("exec", null));
        }

        if (probe.HttpGet is { } http)
        {
            handlers.Add(("httpGet", http.Port));
        }

        if (probe.TcpSocket is { } tcp)
        {
            handlers.Add(("tcpSocket", tcp.Port));
        }

        if (probe.Grpc is not null)
        {
            handlers.Add(("grpc", null));
        }

        if (handlers.Count == 0)
        {
            errors.Required(path, "must specify a handler type");
            return;
        }

        PortFieldValidator.ValidateReference(errors, handlers[0].Port, $"{path}.{handlers[0].Field}.port");
        foreach (var (field, _) in handlers.Skip(1))
        {
            errors.Forbidden($"{path}.{field}", "may not specify more than 1 handler type");
        }
    }
}
