using Maille.Engine;
using Maille.Engine.Analysis;
using Maille.Engine.LoadBalancing;
using Maille.Engine.NetworkPolicies;
using Maille.Model;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Maille.Cli.Output;

/// <summary>Renders <c>maille analyze</c> with Spectre.Console tables, plain text when the output is not a terminal.</summary>
internal static class AnalyzeReport
{
    public static void Write(ClusterState cluster, TextWriter writer)
    {
        var console = PlainConsole.Create(writer);
        console.Write(new Rule("[bold]Nodes[/]").LeftJustified());
        var nodes = Table("NODE", "ADDRESS", "POD CIDR", "PODS");
        var podsByNode = cluster.Pods.ToLookup(p => p.Spec.NodeName ?? "", StringComparer.Ordinal);
        foreach (var node in cluster.Nodes)
        {
            nodes.AddRow(Cells(node.Name, node.InternalIP?.ToString() ?? "", node.PodCidr?.ToString() ?? "", podsByNode[node.Name].Count().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        console.Write(nodes);

        console.Write(new Rule("[bold]Pods per node[/]").LeftJustified());
        var pods = Table("NODE", "POD", "IP", "READY");
        foreach (var node in cluster.Nodes)
        {
            foreach (var pod in podsByNode[node.Name].OrderBy(p => p.QualifiedName, StringComparer.Ordinal))
            {
                pods.AddRow(Cells(node.Name, pod.QualifiedName + (pod.Spec.HostNetwork ? " (hostNetwork)" : ""), pod.Status.PodIP?.ToString() ?? "<none>", pod.Status.Ready == true ? "yes" : "no"));
            }
        }

        foreach (var pod in podsByNode[""])
        {
            pods.AddRow(Cells("<pending>", pod.QualifiedName, "<none>", "no"));
        }

        console.Write(pods);

        console.Write(new Rule("[bold]Services[/]").LeftJustified());
        var services = Table("SERVICE", "TYPE", "CLUSTER-IP", "PORT(S)", "ENDPOINTS");
        foreach (var service in cluster.Services)
        {
            services.AddRow(Cells(
                service.QualifiedName,
                service.Type.ToString() + (service.Headless ? " (headless)" : ""),
                service.Headless ? "None" : service.ClusterIP?.ToString() ?? "<none>",
                service.Ports.IsEmpty ? "<none>" : string.Join(",", service.Ports.Select(p => p.ToString())),
                Endpoints(cluster, service)));
        }

        console.Write(services);
        WriteLoadBalancers(cluster, console);

        var evaluator = NetworkPolicyEvaluator.For(cluster);
        WritePolicies(cluster, evaluator, console);

        var findings = ServiceFindings.For(cluster).Concat(LoadBalancerFindings.For(cluster)).Concat(PolicyFindings.For(cluster, evaluator)).Concat(ClusterPolicyFindings.For(cluster, evaluator)).Concat(MeshFindings.For(cluster, evaluator)).ToList();
        console.Write(new Rule($"[bold]Warnings ({findings.Count + cluster.Warnings.Count})[/]").LeftJustified());
        if (findings.Count == 0 && cluster.Warnings.Count == 0)
        {
            console.WriteLine("none");
        }

        foreach (var warning in cluster.Warnings)
        {
            console.Write(new Text($"- {warning}\n"));
        }

        foreach (var finding in findings)
        {
            console.Write(new Text($"- {finding.Source}: {finding}\n"));
        }
    }

    /// <summary>Each LoadBalancer Service's address, its pool and the node that answers ARP for it (or why none does).</summary>
    private static void WriteLoadBalancers(ClusterState cluster, IAnsiConsole console)
    {
        if (cluster.LoadBalancing.Allocations.Count == 0)
        {
            return;
        }

        console.Write(new Rule("[bold]Load balancers[/]").LeftJustified());
        var announcers = L2AnnouncerElection.Elect(cluster).SelectMany(a => a.Services.Select(s => (Service: s, Announcement: a)))
            .ToDictionary(x => x.Service, x => x.Announcement, StringComparer.Ordinal);
        var table = Table("SERVICE", "EXTERNAL-IP", "POOL", "ANNOUNCED BY");
        foreach (var allocation in cluster.LoadBalancing.Allocations)
        {
            var announcedBy = allocation.Address is null
                ? $"- ({allocation.Reason})"
                : announcers.TryGetValue(allocation.Service, out var announcement)
                    ? announcement.Node ?? $"- ({announcement.Reason})"
                    : "-";
            table.AddRow(Cells(allocation.Service, allocation.Address?.ToString() ?? "<pending>", allocation.Pool ?? "-", announcedBy));
        }

        console.Write(table);
    }

    /// <summary>Per pod, whether its ingress and egress are isolated and by which policies.</summary>
    private static void WritePolicies(ClusterState cluster, NetworkPolicyEvaluator evaluator, IAnsiConsole console)
    {
        console.Write(new Rule($"[bold]Network policies ({cluster.NetworkPolicies.Count})[/]").LeftJustified());
        if (cluster.NetworkPolicies.Count == 0)
        {
            console.WriteLine("none: no pod is isolated; every pod accepts and opens any connection");
            return;
        }

        var table = Table("POD", "INGRESS ISOLATED BY", "EGRESS ISOLATED BY");
        foreach (var pod in cluster.Pods)
        {
            if (pod.Spec.HostNetwork)
            {
                table.AddRow(Cells(pod.QualifiedName, "(hostNetwork: never selected)", "(hostNetwork: never selected)"));
                continue;
            }

            var (ingress, egress) = evaluator.IsolationOf(pod);
            table.AddRow(Cells(pod.QualifiedName, Isolation(ingress), Isolation(egress)));
        }

        console.Write(table);
    }

    /// <summary>The isolating policies by name: they always live in the pod's own namespace.</summary>
    private static string Isolation(IReadOnlyList<string> policies) =>
        policies.Count == 0 ? "- (not isolated)" : string.Join(", ", policies.Select(p => p[(p.IndexOf('/', StringComparison.Ordinal) + 1)..]));

    /// <summary><c>ip:port</c> of each endpoint, ready ones first; not-ready ones marked.</summary>
    private static string Endpoints(ClusterState cluster, Service service)
    {
        if (service.Type == ServiceType.ExternalName)
        {
            return $"CNAME {service.ExternalName}";
        }

        var entries = cluster.SlicesFor(service)
            .SelectMany(s => s.Endpoints.SelectMany(e => e.Addresses.Select(a => (Address: a, e.Conditions.Ready, Ports: s.Ports))))
            .Select(e => $"{e.Address}:{string.Join("/", e.Ports.Select(p => p.Port))}{(e.Ready ? "" : " (not ready)")}")
            .ToList();
        return entries.Count == 0 ? "<none>" : string.Join("\n", entries);
    }

    private static Table Table(params string[] headers)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(header).NoWrap());
        }

        return table;
    }

    private static IRenderable[] Cells(params string[] cells) => [.. cells.Select(c => (IRenderable)new Text(c))];
}
