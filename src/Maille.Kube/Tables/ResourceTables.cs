using Maille.Engine;
using Maille.Engine.Gateways;
using Maille.Model;

namespace Maille.Kube.Tables;

/// <summary>The rows of <c>maille get</c>, column for column as <c>kubectl get</c> prints them.</summary>
/// <param name="availability">When the pods became Ready, for workloads' <c>minReadySeconds</c> (a lab's); null: available is ready.</param>
/// <param name="restarts">A running lab's container restarts by pod (namespace/name): the RESTARTS column, as the kubelet reports them.</param>
public sealed partial class ResourceTables(ClusterState cluster, TimeProvider clock, Engine.Workloads.PodAvailability? availability = null, IReadOnlyDictionary<string, ContainerRestarts>? restarts = null)
{
    public KubectlTable Nodes(IEnumerable<Node> nodes, bool wide)
    {
        var headers = new List<string> { "NAME", "STATUS", "ROLES", "AGE", "VERSION" };
        if (wide)
        {
            headers.AddRange(["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME", "POD-CIDR"]);
        }

        var table = new KubectlTable(headers);
        foreach (var node in nodes)
        {
            var roles = node.Meta.Labels.Keys.Where(k => k.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal)).Select(k => k["node-role.kubernetes.io/".Length..]).ToList();
            var row = new List<string> { node.Name, node.Unschedulable ? "Ready,SchedulingDisabled" : "Ready", roles.Count == 0 ? "<none>" : string.Join(",", roles), Age(node.Meta), "maille" };
            if (wide)
            {
                row.AddRange([node.InternalIP?.ToString() ?? "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>", node.PodCidr?.ToString() ?? "<none>"]);
            }

            table.Add([.. row]);
        }

        return table;
    }

    /// <summary>Each node's lease (in kube-node-lease, named after the node), held by the node and as old as it.</summary>
    public KubectlTable Leases(IEnumerable<Node> nodes)
    {
        var table = new KubectlTable(["NAME", "HOLDER", "AGE"]);
        foreach (var node in nodes)
        {
            table.Add(node.Name, node.Name, Age(node.Meta));
        }

        return table;
    }

    public KubectlTable Namespaces(IEnumerable<Namespace> namespaces)
    {
        var table = new KubectlTable(["NAME", "STATUS", "AGE"]);
        foreach (var ns in namespaces)
        {
            table.Add(ns.Name, "Active", Age(ns.Meta));
        }

        return table;
    }

    public KubectlTable Pods(IEnumerable<Pod> pods, bool wide, bool allNamespaces)
    {
        var headers = new List<string> { "NAME", "READY", "STATUS", "RESTARTS", "AGE" };
        if (wide)
        {
            headers.AddRange(["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]);
        }

        var table = new KubectlTable(WithNamespace(headers, allNamespaces));
        foreach (var pod in pods)
        {
            var total = pod.Spec.Containers.Count;
            var ready = pod.Status.Ready == true ? total : 0;
            var row = new List<string> { pod.Name, $"{ready}/{total}", pod.IsTerminating ? "Terminating" : pod.Status.Phase ?? "Pending", Restarts(pod), Age(pod.Meta) };
            if (wide)
            {
                row.AddRange([pod.Status.PodIP?.ToString() ?? "<none>", pod.Spec.NodeName ?? "<none>", "<none>", "<none>"]);
            }

            table.Add(WithNamespace(row, allNamespaces, pod.Namespace));
        }

        return table;
    }

    public KubectlTable Services(IEnumerable<Service> services, bool wide, bool allNamespaces)
    {
        var headers = new List<string> { "NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE" };
        if (wide)
        {
            headers.Add("SELECTOR");
        }

        var table = new KubectlTable(WithNamespace(headers, allNamespaces));
        foreach (var service in services)
        {
            var row = new List<string>
            {
                service.Name,
                service.Type.ToString(),
                service.Headless ? "None" : service.ClusterIP?.ToString() ?? "<none>",
                ExternalIP(service),
                service.Ports.IsEmpty ? "<none>" : string.Join(",", service.Ports.Select(p => p.ToString())),
                Age(service.Meta),
            };
            if (wide)
            {
                row.Add(service.Selector?.ToString() ?? "<none>");
            }

            table.Add(WithNamespace(row, allNamespaces, service.Namespace));
        }

        return table;
    }

    /// <summary>kubectl's EXTERNAL-IP: the LoadBalancer ingress (or <c>&lt;pending&gt;</c>), external IPs, or the ExternalName.</summary>
    public static string ExternalIP(Service service)
    {
        var addresses = new List<string>();
        switch (service.Type)
        {
            case ServiceType.ExternalName:
                return service.ExternalName ?? "<none>";
            case ServiceType.LoadBalancer:
                addresses.AddRange(service.LoadBalancerIngress);
                addresses.AddRange(service.ExternalIPs);
                return addresses.Count == 0 ? "<pending>" : string.Join(",", addresses);
            default:
                return service.ExternalIPs.IsEmpty ? "<none>" : string.Join(",", service.ExternalIPs);
        }
    }

    public KubectlTable EndpointSlices(IEnumerable<EndpointSlice> slices, bool allNamespaces)
    {
        var table = new KubectlTable(WithNamespace(["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"], allNamespaces));
        foreach (var slice in slices)
        {
            var ports = slice.Ports.Where(p => p.Port is not null).Select(p => p.Port!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
            var addresses = slice.Endpoints.SelectMany(e => e.Addresses).ToList();
            var endpoints = addresses.Count == 0
                ? "<unset>"
                : string.Join(",", addresses.Take(3)) + (addresses.Count > 3 ? $" + {addresses.Count - 3} more..." : "");
            table.Add(WithNamespace([slice.Meta.Name, slice.AddressType, ports.Count == 0 ? "<unset>" : string.Join(",", ports), endpoints, Age(slice.Meta)], allNamespaces, slice.Namespace));
        }

        return table;
    }

    /// <param name="counters">
    /// A running lab's rule counters (<c>-o wide --lab</c>): adds <c>INGRESS-PACKETS</c> and <c>EGRESS-PACKETS</c>, the
    /// connections each rule allowed, summed over the nodes, one number per rule in rule order.
    /// </param>
    public KubectlTable NetworkPolicies(IEnumerable<NetworkPolicy> policies, bool allNamespaces, RuleCounters? counters = null)
    {
        List<string> headers = ["NAME", "POD-SELECTOR", "AGE"];
        if (counters is not null)
        {
            headers.AddRange(["INGRESS-PACKETS", "EGRESS-PACKETS"]);
        }

        var table = new KubectlTable(WithNamespace(headers, allNamespaces));
        foreach (var policy in policies)
        {
            List<string> row = [policy.Meta.Name, policy.PodSelector.ToString(), Age(policy.Meta)];
            if (counters is not null)
            {
                row.AddRange([counters.Cell(policy, PolicyDirection.Ingress), counters.Cell(policy, PolicyDirection.Egress)]);
            }

            table.Add(WithNamespace(row, allNamespaces, policy.Namespace));
        }

        return table;
    }

    public KubectlTable Ingresses(IEnumerable<Ingress> ingresses, bool allNamespaces)
    {
        var table = new KubectlTable(WithNamespace(["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"], allNamespaces));
        foreach (var ingress in ingresses)
        {
            var hosts = ingress.Rules.Select(r => r.Host).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            table.Add(WithNamespace(
                [ingress.Meta.Name, ingress.ClassName ?? "<none>", hosts.Count == 0 ? "*" : string.Join(",", hosts), string.Join(",", ingress.LoadBalancerIngress), ingress.Tls.IsEmpty ? "80" : "80, 443", Age(ingress.Meta)],
                allNamespaces,
                ingress.Namespace));
        }

        return table;
    }

    /// <summary>The GatewayClass CRD's printer columns.</summary>
    public KubectlTable GatewayClasses(IEnumerable<GatewayClass> classes, GatewayPlan plan, bool wide = false)
    {
        // The CRD's printer columns; DESCRIPTION has priority 1 there, so only -o wide shows it.
        var table = new KubectlTable(wide ? ["NAME", "CONTROLLER", "ACCEPTED", "AGE", "DESCRIPTION"] : ["NAME", "CONTROLLER", "ACCEPTED", "AGE"]);
        foreach (var gatewayClass in classes)
        {
            var accepted = plan.Classes.FirstOrDefault(c => c.Name == gatewayClass.Name)?.Conditions.FirstOrDefault(c => c.Type == "Accepted");
            string[] row = [gatewayClass.Name, gatewayClass.ControllerName, accepted is null ? "Unknown" : accepted.Status ? "True" : "False", Age(gatewayClass.Meta)];
            table.Add(wide ? [.. row, gatewayClass.Description ?? "<none>"] : row);
        }

        return table;
    }

    /// <summary>The Gateway CRD's printer columns.</summary>
    public KubectlTable Gateways(IEnumerable<Model.Gateway> gateways, GatewayPlan plan, bool allNamespaces)
    {
        var table = new KubectlTable(WithNamespace(["NAME", "CLASS", "ADDRESS", "PROGRAMMED", "AGE"], allNamespaces));
        foreach (var gateway in gateways)
        {
            var status = plan.GatewayStatusOf(gateway.Meta.QualifiedName);
            var programmed = status?.Conditions.FirstOrDefault(c => c.Type == "Programmed");
            table.Add(WithNamespace(
                [gateway.Meta.Name, gateway.GatewayClassName, status is { Addresses.Count: > 0 } ? status.Addresses[0] : "", programmed is null ? "Unknown" : programmed.Status ? "True" : "False", Age(gateway.Meta)],
                allNamespaces,
                gateway.Namespace));
        }

        return table;
    }

    /// <summary>The HTTPRoute and GRPCRoute CRDs' printer columns.</summary>
    public KubectlTable Routes(IEnumerable<(ObjectMeta Meta, EquatableArray<string> Hostnames)> routes, bool allNamespaces)
    {
        var table = new KubectlTable(WithNamespace(["NAME", "HOSTNAMES", "AGE"], allNamespaces));
        foreach (var (meta, hostnames) in routes)
        {
            table.Add(WithNamespace([meta.Name, hostnames.IsEmpty ? "" : $"[\"{string.Join("\",\"", hostnames)}\"]", Age(meta)], allNamespaces, meta.Namespace!));
        }

        return table;
    }

    public KubectlTable ReferenceGrants(IEnumerable<ReferenceGrant> grants, bool allNamespaces)
    {
        var table = new KubectlTable(WithNamespace(["NAME", "AGE"], allNamespaces));
        foreach (var grant in grants)
        {
            table.Add(WithNamespace([grant.Meta.Name, Age(grant.Meta)], allNamespaces, grant.Namespace));
        }

        return table;
    }

    /// <summary>The ClusterNetworkPolicy CRD's printer columns (network-policy-api v0.2.0: tier and priority).</summary>
    public KubectlTable ClusterNetworkPolicies(IEnumerable<ClusterNetworkPolicy> policies)
    {
        var table = new KubectlTable(["NAME", "TIER", "PRIORITY", "AGE"]);
        foreach (var policy in policies)
        {
            table.Add([policy.Name, policy.Tier.ToString(), policy.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture), Age(policy.Meta)]);
        }

        return table;
    }

    /// <summary>The v1alpha1 AdminNetworkPolicy CRD's printer columns (network-policy-api v0.1.x: priority).</summary>
    public KubectlTable AdminNetworkPolicies(IEnumerable<ClusterNetworkPolicy> policies)
    {
        var table = new KubectlTable(["NAME", "PRIORITY", "AGE"]);
        foreach (var policy in policies)
        {
            table.Add([policy.Name, policy.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture), Age(policy.Meta)]);
        }

        return table;
    }

    /// <summary>The v1alpha1 BaselineAdminNetworkPolicy CRD's printer column: its age (there is one, named default).</summary>
    public KubectlTable BaselineAdminNetworkPolicies(IEnumerable<ClusterNetworkPolicy> policies)
    {
        var table = new KubectlTable(["NAME", "AGE"]);
        foreach (var policy in policies)
        {
            table.Add([policy.Name, Age(policy.Meta)]);
        }

        return table;
    }

    /// <summary>
    /// <c>maille get clusternetworkpolicies</c>: the printer columns (tier, priority) and what the policy is about, its
    /// subject and how many rules it has in each direction, in evaluation order (tier, then priority, then name).
    /// </summary>
    public KubectlTable ClusterNetworkPolicySummaries(IEnumerable<ClusterNetworkPolicy> policies)
    {
        var table = new KubectlTable(["NAME", "TIER", "PRIORITY", "SUBJECT", "RULES", "AGE"]);
        foreach (var policy in policies.OrderBy(p => p.Tier).ThenBy(p => p.Priority).ThenBy(p => p.Name, StringComparer.Ordinal))
        {
            table.Add([
                policy.Name,
                policy.Tier.ToString(),
                policy.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture),
                SubjectText(policy.Subject),
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{policy.Ingress.Count} ingress, {policy.Egress.Count} egress"),
                Age(policy.Meta)]);
        }

        return table;
    }

    /// <summary><c>namespaces: ns=z</c>, <c>namespaces: &lt;all&gt;</c> or <c>pods: ns=x / app=web</c> (namespace selector / pod selector).</summary>
    public static string SubjectText(ClusterPolicySubject subject) => subject switch
    {
        { Namespaces: { } namespaces } => $"namespaces: {SelectorText(namespaces)}",
        { Pods: { } pods } => $"pods: {SelectorText(pods.NamespaceSelector)} / {SelectorText(pods.PodSelector)}",
        _ => "<none>",
    };

    /// <summary>An empty selector selects everything: <c>&lt;all&gt;</c> rather than kubectl's <c>&lt;none&gt;</c>.</summary>
    private static string SelectorText(LabelSelector? selector) => selector is null || selector.IsEmpty ? "<all>" : selector.ToString();

    public ClusterState Cluster => cluster;

    private string Age(ObjectMeta meta) => HumanDuration.Age(meta.CreationTimestamp, clock);

    /// <summary>kubectl's RESTARTS cell: the count, and when there were restarts, how long ago the last one ended (<c>1 (12s ago)</c>).</summary>
    private string Restarts(Pod pod) => restarts?.GetValueOrDefault(pod.QualifiedName) is { Count: > 0 } last
        ? $"{last.Count} ({HumanDuration.Age(last.FinishedAt, clock)} ago)"
        : "0";

    private static string[] WithNamespace(IEnumerable<string> cells, bool allNamespaces, string ns = "NAMESPACE") =>
        allNamespaces ? [ns, .. cells] : [.. cells];
}
