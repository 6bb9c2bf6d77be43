namespace Maille.Engine.Ingresses;

public sealed partial class IngressRouteTable
{
    /// <summary>No Ingress at all: every request gets 404.</summary>
    public static IngressRouteTable Empty { get; } = new(new IngressSelection([], [], []), new HostIndex<IngressHostRoutes>([]), null, null, IngressTlsTable.Empty, [], []);

    /// <summary>Compiles the routing of every Ingress Maille serves in <paramref name="cluster"/>.</summary>
    public static IngressRouteTable Build(ClusterState cluster)
    {
        var selection = IngressClassSelector.Select(cluster.IngressClasses, cluster.Ingresses);
        var problems = new List<IngressProblem>(selection.Problems);
        var resolver = new IngressBackendResolver(cluster, problems);
        var hosts = new Dictionary<string, PathSet>(StringComparer.Ordinal);
        var anyHost = new PathSet();
        IngressRoute? defaultBackend = null;
        foreach (var ingress in selection.Served)
        {
            var protocol = resolver.ProtocolOf(ingress);
            if (ingress.DefaultBackend is { } backend)
            {
                if (defaultBackend is null)
                {
                    var where = IngressRoute.Describe(ingress, null, null, null, null, null);
                    defaultBackend = new IngressRoute(ingress, null, null, null, null, backend, resolver.Resolve(ingress, backend, where, protocol));
                }
                else
                {
                    problems.Add(new IngressProblem($"Ingress {ingress.Meta.QualifiedName}",
                        $"its defaultBackend is not used: the one of Ingress {defaultBackend.IngressName}, first in precedence, takes unmatched requests"));
                }
            }

            for (var r = 0; r < ingress.Rules.Count; r++)
            {
                var rule = ingress.Rules[r];
                var host = rule.Host is null ? null : HostName.Normalize(rule.Host);
                var paths = host is null ? anyHost : Get(hosts, host);
                for (var p = 0; p < rule.Paths.Count; p++)
                {
                    var path = rule.Paths[p];
                    var where = IngressRoute.Describe(ingress, r, p, rule.Host, path.Path, path.PathType);
                    var (table, key) = path.PathType switch
                    {
                        "Exact" => (paths.Exact, path.Path ?? ""),
                        "Prefix" or "ImplementationSpecific" => (paths.Prefix, (string.IsNullOrEmpty(path.Path) ? "/" : path.Path).TrimEnd('/')),
                        _ => (null, ""),
                    };
                    if (table is null)
                    {
                        continue; // validation refuses other path types
                    }

                    if (table.TryGetValue(key, out var winner))
                    {
                        problems.Add(new IngressProblem($"Ingress {ingress.Meta.QualifiedName}", $"{where} is not used: {winner} has the same host, path and path type and comes first in precedence"));
                        continue;
                    }

                    table[key] = new IngressRoute(ingress, r, p, rule.Host, path, path.Backend, resolver.Resolve(ingress, path.Backend, where, protocol));
                }
            }
        }

        var tls = IngressTlsTable.Build(selection.Served, cluster, problems);
        var controller = cluster.ServicesByName.GetValueOrDefault($"{MailleIngressController.Namespace}/{MailleIngressController.ServiceName}");
        return new IngressRouteTable(
            selection,
            new HostIndex<IngressHostRoutes>(hosts.Select(h => KeyValuePair.Create(h.Key, h.Value.Compile()))),
            anyHost.IsEmpty ? null : anyHost.Compile(),
            defaultBackend,
            tls,
            controller is null ? [] : [.. controller.LoadBalancerIngress],
            problems);
    }

    private static PathSet Get(Dictionary<string, PathSet> sets, string host)
    {
        if (!sets.TryGetValue(host, out var set))
        {
            sets[host] = set = new PathSet();
        }

        return set;
    }

    /// <summary>The paths of one host while the table is built.</summary>
    private sealed class PathSet
    {
        public Dictionary<string, IngressRoute> Exact { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, IngressRoute> Prefix { get; } = new(StringComparer.Ordinal);

        public bool IsEmpty => Exact.Count == 0 && Prefix.Count == 0;

        public IngressHostRoutes Compile() => new(Exact, Prefix);
    }
}
