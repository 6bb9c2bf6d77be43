using Maille.Model;

namespace Maille.Engine.Validation;

/// <summary>
/// The checks that need more than one object or the cluster configuration: duplicate objects, ClusterIPs inside the
/// Service CIDR and unique, node ports inside the NodePort range and unique, namespaces that exist.
/// Field-level rules are applied where objects are read (the Kubernetes boundary).
/// </summary>
internal static class ClusterValidator
{
    /// <summary>Namespaces every cluster has, which need no manifest.</summary>
    public static readonly IReadOnlySet<string> BuiltInNamespaces = new HashSet<string>(StringComparer.Ordinal) { "default", "kube-system", "kube-public", "kube-node-lease" };

    public static void Validate(ManifestSet manifests, ClusterConfig config, List<Diagnostic> diagnostics)
    {
        CheckDuplicates(manifests, diagnostics);
        CheckClusterIPs(manifests, config, diagnostics);
        CheckNodePorts(manifests, config, diagnostics);
    }

    /// <summary>
    /// Namespaces that objects use but no manifest declares are created, each with one warning (Kubernetes would refuse
    /// the objects; Maille is friendlier and says so).
    /// </summary>
    public static IReadOnlyList<Namespace> ResolveNamespaces(ManifestSet manifests, List<Diagnostic> diagnostics)
    {
        var namespaces = manifests.Namespaces.GroupBy(n => n.Name, StringComparer.Ordinal).Select(g => g.First()).ToList();
        var declared = namespaces.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var used = AllNamespaced(manifests).Where(o => !declared.Contains(o.Meta.Namespace!))
            .GroupBy(o => o.Meta.Namespace!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in used)
        {
            var first = group.First();
            if (!BuiltInNamespaces.Contains(group.Key))
            {
                diagnostics.Add(new Diagnostic
                {
                    Type = FieldErrorType.Warning,
                    File = first.Meta.Source.File,
                    Line = first.Meta.Source.LineOf("metadata.namespace"),
                    Object = new ObjectRef("Namespace", null, group.Key),
                    Detail = $"not declared by any manifest (first used by {first.Kind} {first.Meta.QualifiedName}); created it, where kubectl apply would refuse with: namespaces \"{group.Key}\" not found",
                });
            }

            declared.Add(group.Key);
            namespaces.Add(Implicit(group.Key));
        }

        foreach (var builtIn in BuiltInNamespaces.Where(n => !declared.Contains(n)))
        {
            namespaces.Add(Implicit(builtIn));
        }

        return namespaces;
    }

    private static Namespace Implicit(string name) => new()
    {
        Meta = new ObjectMeta { Name = name, Labels = Labels.Of((Namespace.NameLabel, name)) },
        Implicit = true,
    };

    private static IEnumerable<(string Kind, ObjectMeta Meta)> AllNamespaced(ManifestSet m) =>
        m.Pods.Select(p => ("Pod", p.Meta))
            .Concat(m.Workloads.Select(w => (w.Kind.ToString(), w.Meta)))
            .Concat(m.Services.Select(s => ("Service", s.Meta)))
            .Concat(m.EndpointSlices.Select(s => ("EndpointSlice", s.Meta)))
            .Concat(m.NetworkPolicies.Select(p => ("NetworkPolicy", p.Meta)))
            .Concat(m.Ingresses.Select(i => ("Ingress", i.Meta)))
            .Concat(m.Secrets.Select(s => ("Secret", s.Meta)));

    private static void CheckDuplicates(ManifestSet m, List<Diagnostic> diagnostics)
    {
        var all = AllNamespaced(m)
            .Concat(m.Namespaces.Select(n => ("Namespace", n.Meta)))
            .Concat(m.Nodes.Select(n => ("Node", n.Meta)))
            .Concat(m.IngressClasses.Select(c => ("IngressClass", c.Meta)))
            .Concat(m.ClusterNetworkPolicies.Select(p => (p.SourceKind, p.Meta)))
            .Concat(m.AuthorizationPolicies.Select(p => (MeshApi.AuthorizationPolicyKind, p.Meta)))
            .Concat(m.PeerAuthentications.Select(p => (MeshApi.PeerAuthenticationKind, p.Meta)));
        var seen = new Dictionary<(string, string), ObjectMeta>();
        foreach (var (kind, meta) in all)
        {
            if (meta.Name.Length == 0)
            {
                continue;
            }

            if (seen.TryGetValue((kind, meta.QualifiedName), out var first))
            {
                diagnostics.Add(new Diagnostic
                {
                    Type = FieldErrorType.Duplicate,
                    File = meta.Source.File,
                    Line = meta.Source.LineOf("metadata.name"),
                    Object = new ObjectRef(kind, meta.Namespace, meta.Name),
                    Field = "metadata.name",
                    Value = Diagnostic.Quote(meta.Name),
                    Detail = $"already defined at {first.Source}",
                });
            }
            else
            {
                seen[(kind, meta.QualifiedName)] = meta;
            }
        }

        // A v1alpha1 AdminNetworkPolicy (or the Baseline one) is another CRD's object, so an API server lets it share its
        // name with a ClusterNetworkPolicy; Maille reads both onto one model, where a policy's name names its rules (their
        // counters, the trace's words), so the two would be one. Refused, saying so, rather than counted together.
        foreach (var clash in m.ClusterNetworkPolicies.GroupBy(p => p.Name, StringComparer.Ordinal).Where(g => g.Select(p => p.SourceKind).Distinct().Count() > 1))
        {
            var (first, second) = (clash.First(), clash.First(p => p.SourceKind != clash.First().SourceKind));
            diagnostics.Add(new Diagnostic
            {
                Type = FieldErrorType.Duplicate,
                File = second.Meta.Source.File,
                Line = second.Meta.Source.LineOf("metadata.name"),
                Object = new ObjectRef(second.SourceKind, null, second.Name),
                Field = "metadata.name",
                Value = Diagnostic.Quote(second.Name),
                Detail = $"the {first.SourceKind} at {first.Meta.Source} has the same name: Maille reads both kinds as ClusterNetworkPolicies, where a name names one policy's rules and counters; rename one",
            });
        }
    }

    private static void CheckClusterIPs(ManifestSet m, ClusterConfig config, List<Diagnostic> diagnostics)
    {
        var owners = new Dictionary<System.Net.IPAddress, Service>();
        foreach (var service in m.Services)
        {
            if (service.ClusterIP is not { } ip)
            {
                continue;
            }

            var errors = new FieldErrors(new ObjectRef("Service", service.Namespace, service.Name), service.Meta.Source, diagnostics);
            if (!config.ServiceCidr.Contains(ip) || ip.Equals(config.ServiceCidr.BaseAddress) || IpMath.ToUInt32(ip) == IpMath.ToUInt32(config.ServiceCidr.BaseAddress) + (uint)IpMath.Size(config.ServiceCidr) - 1)
            {
                errors.Invalid("spec.clusterIP", ip.ToString(), $"provided IP is not in the valid range {config.ServiceCidr}");
            }
            else if (ip.Equals(config.EffectiveDnsServiceIP) && !(service.Name == "kube-dns" && service.Namespace == "kube-system"))
            {
                errors.Invalid("spec.clusterIP", ip.ToString(), "provided IP is already allocated (reserved for the cluster DNS Service)");
            }
            else if (!owners.TryAdd(ip, service))
            {
                errors.Invalid("spec.clusterIP", ip.ToString(), $"provided IP is already allocated (to Service {owners[ip].QualifiedName})");
            }
        }
    }

    private static void CheckNodePorts(ManifestSet m, ClusterConfig config, List<Diagnostic> diagnostics)
    {
        var owners = new Dictionary<int, Service>();
        var range = $"{config.NodePortMin}-{config.NodePortMax}";
        foreach (var service in m.Services)
        {
            var errors = new FieldErrors(new ObjectRef("Service", service.Namespace, service.Name), service.Meta.Source, diagnostics);
            var own = new Dictionary<int, Protocol>();
            for (var i = 0; i < service.Ports.Count; i++)
            {
                if (service.Ports[i].NodePort is not { } nodePort)
                {
                    continue;
                }

                var field = $"spec.ports[{i}].nodePort";
                if (!NameRules.IsValidPortNumber(nodePort))
                {
                    // Not a port number at all: already reported where the Service was read.
                    continue;
                }

                if (nodePort < config.NodePortMin || nodePort > config.NodePortMax)
                {
                    errors.Invalid(field, nodePort, $"provided port is not in the valid range {range}");
                }
                else if (own.TryGetValue(nodePort, out var protocol))
                {
                    if (protocol == service.Ports[i].Protocol)
                    {
                        errors.Duplicate(field, nodePort);
                    }
                }
                else if (owners.TryGetValue(nodePort, out var other))
                {
                    errors.Invalid(field, nodePort, $"provided port is already allocated (to Service {other.QualifiedName})");
                }
                else
                {
                    own[nodePort] = service.Ports[i].Protocol;
                }
            }

            foreach (var port in own.Keys)
            {
                owners.TryAdd(port, service);
            }

            if (service.HealthCheckNodePort is { } health && (health < config.NodePortMin || health > config.NodePortMax))
            {
                errors.Invalid("spec.healthCheckNodePort", health, $"provided port is not in the valid range {range}");
            }
        }
    }
}
