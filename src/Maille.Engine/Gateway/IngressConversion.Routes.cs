using System.Collections.Immutable;
using Maille.Engine.Ingresses;
using Maille.Model;

namespace Maille.Engine.Gateways;

public static partial class IngressConversion
{
    // The key of the rules without host among the hosts (no Ingress host is empty: validation refuses it).
    private const string AnyHost = "";

    private const string CatchAll = "PathPrefix /";

    /// <summary>One HTTPRoute per Ingress and host, then the defaultBackend's catch-all routes.</summary>
    private static List<HttpRoute> Routes(ClusterState cluster, List<Ingress> ingresses, GatewayTarget gateway, List<IngressConversionWarning> warnings)
    {
        // The paths each host has over every Ingress, as the controller merges them, and the rule that first named it.
        var claimed = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var firstRule = new Dictionary<string, (Ingress Ingress, int Rule)>(StringComparer.Ordinal);
        var routes = new List<HttpRoute>();
        foreach (var ingress in ingresses)
        {
            WarnAboutBackendProtocol(ingress, warnings);
            var byHost = new List<(string Host, List<HttpRouteRule> Rules)>();
            for (var r = 0; r < ingress.Rules.Count; r++)
            {
                var rule = ingress.Rules[r];
                var host = rule.Host is null ? AnyHost : HostName.Normalize(rule.Host);
                if (firstRule.TryAdd(host, (ingress, r)))
                {
                    claimed[host] = new HashSet<string>(StringComparer.Ordinal);
                }

                if (host.StartsWith("*.", StringComparison.Ordinal))
                {
                    warnings.Add(Warn(ingress, $"spec.rules[{Invariant(r)}].host", $"{host} matches exactly one label in an Ingress, one or more in a Gateway: a Gateway routes x.y{host[1..]} by it too, where the Ingress controller tries the rules without host, then the defaultBackend"));
                }

                if (byHost.FindIndex(h => h.Host == host) is var index && index < 0)
                {
                    byHost.Add((host, []));
                    index = byHost.Count - 1;
                }

                for (var p = 0; p < rule.Paths.Count; p++)
                {
                    var path = rule.Paths[p];
                    if (PathMatch(path) is not { } match || !claimed[host].Add($"{match.Type} {match.Value}"))
                    {
                        continue; // another path type (validation refuses it), or shadowed by an Ingress first in precedence
                    }

                    var backend = BackendRef(cluster, ingress, path.Backend, $"spec.rules[{Invariant(r)}].http.paths[{Invariant(p)}].backend", warnings);
                    byHost[index].Rules.Add(Rule(match, backend));
                }
            }

            var withRules = byHost.Where(h => h.Rules.Count > 0).ToList();
            routes.AddRange(withRules.Select(h => new HttpRoute
            {
                Meta = new ObjectMeta { Name = withRules.Count == 1 ? ingress.Meta.Name : $"{ingress.Meta.Name}-{Slug(h.Host == AnyHost ? null : h.Host)}", Namespace = ingress.Namespace },
                ParentRefs = ImmutableArray.Create(gateway.ParentRefFrom(ingress.Namespace)),
                Hostnames = h.Host == AnyHost ? ImmutableArray<string>.Empty : ImmutableArray.Create(h.Host),
                Rules = h.Rules.ToImmutableArray(),
            }));
        }

        routes.AddRange(DefaultBackendRoutes(cluster, ingresses, gateway, claimed, firstRule, warnings));
        return routes;
    }

    /// <summary>
    /// Where the controller sends what a host's rules do not match: the defaultBackend of the first Ingress in
    /// precedence that has one, else 404. A Gateway instead tries the less specific hostnames' routes, so every host
    /// whose requests could fall through to another route gets a catch-all to the defaultBackend; without one, that
    /// difference is a warning. Unknown hosts get the catch-all in a route without hostnames.
    /// </summary>
    private static IEnumerable<HttpRoute> DefaultBackendRoutes(
        ClusterState cluster,
        List<Ingress> ingresses,
        GatewayTarget gateway,
        Dictionary<string, HashSet<string>> claimed,
        Dictionary<string, (Ingress Ingress, int Rule)> firstRule,
        List<IngressConversionWarning> warnings)
    {
        var exposed = claimed.Keys.Where(h => h != AnyHost && !claimed[h].Contains(CatchAll))
            .Select(h => (Host: h, By: Intercepting(h, claimed)))
            .Where(h => h.By is not null)
            .OrderBy(h => h.Host, StringComparer.Ordinal)
            .ToList();
        var owner = ingresses.FirstOrDefault(i => i.DefaultBackend is not null);
        if (owner is null)
        {
            foreach (var (host, by) in exposed)
            {
                var (ingress, rule) = firstRule[host];
                warnings.Add(Warn(ingress, $"spec.rules[{Invariant(rule)}].host", $"a request for {host} that none of its paths matches gets 404 from the Ingress controller, but a Gateway tries {by} next (no defaultBackend to catch it)"));
            }

            yield break;
        }

        var backend = BackendRef(cluster, owner, owner.DefaultBackend!, "spec.defaultBackend", warnings);
        var rules = ImmutableArray.Create(Rule(new HttpPathMatch("PathPrefix", "/"), backend));
        var parentRefs = ImmutableArray.Create(gateway.ParentRefFrom(owner.Namespace));
        var name = $"{owner.Meta.Name}-default-backend";
        for (var chunk = 0; chunk * MaxHostnames < exposed.Count; chunk++)
        {
            yield return new HttpRoute
            {
                Meta = new ObjectMeta { Name = chunk == 0 ? $"{name}-hosts" : $"{name}-hosts-{Invariant(chunk + 1)}", Namespace = owner.Namespace },
                ParentRefs = parentRefs,
                Hostnames = exposed.Skip(chunk * MaxHostnames).Take(MaxHostnames).Select(h => h.Host).ToImmutableArray(),
                Rules = rules,
            };
        }

        if (!(claimed.TryGetValue(AnyHost, out var any) && any.Contains(CatchAll)))
        {
            yield return new HttpRoute { Meta = new ObjectMeta { Name = name, Namespace = owner.Namespace }, ParentRefs = parentRefs, Rules = rules };
        }
    }

    /// <summary>
    /// The routes a Gateway would try for <paramref name="host"/> after its own ones match nothing: those of a less
    /// specific wildcard (a Gateway wildcard covers one or more labels), then those without host; null when none.
    /// </summary>
    private static string? Intercepting(string host, Dictionary<string, HashSet<string>> claimed)
    {
        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[1..] : host;
        var wildcard = claimed.Keys
            .Where(h => h.StartsWith("*.", StringComparison.Ordinal) && h != host && name.EndsWith(h[1..], StringComparison.Ordinal) && claimed[h].Count > 0)
            .OrderByDescending(h => h.Length)
            .FirstOrDefault();
        return wildcard is not null ? $"the routes of {wildcard}"
            : claimed.TryGetValue(AnyHost, out var any) && any.Count > 0 ? "the rules without host"
            : null;
    }

    /// <summary>
    /// The Gateway path match of an Ingress path: Exact as written; Prefix and ImplementationSpecific (a Prefix in
    /// Maille) as a PathPrefix without the trailing slash, which neither kind counts; null for another type.
    /// </summary>
    private static HttpPathMatch? PathMatch(IngressPath path) => path.PathType switch
    {
        "Exact" when !string.IsNullOrEmpty(path.Path) => new HttpPathMatch("Exact", path.Path),
        "Prefix" or "ImplementationSpecific" => new HttpPathMatch("PathPrefix", (string.IsNullOrEmpty(path.Path) ? "/" : path.Path).TrimEnd('/') is { Length: > 0 } p ? p : "/"),
        _ => null,
    };

    private static HttpRouteRule Rule(HttpPathMatch match, GatewayBackendRef? backend) => new()
    {
        Matches = ImmutableArray.Create(new HttpRouteMatch { Path = match }),
        BackendRefs = backend is null ? ImmutableArray<GatewayBackendRef>.Empty : ImmutableArray.Create(backend),
    };

    /// <summary>
    /// The backendRef of an Ingress backend, with the Service port's number (a backendRef cannot name a port);
    /// null, after a warning, when there is no number to give or the backend is not a Service: the rule then has no
    /// backendRef and a Gateway answers 500.
    /// </summary>
    private static GatewayBackendRef? BackendRef(ClusterState cluster, Ingress ingress, IngressBackend backend, string field, List<IngressConversionWarning> warnings)
    {
        if (backend.Service is not { } service)
        {
            warnings.Add(Warn(ingress, field + ".resource", $"a resource backend ({backend.Resource}) has no Gateway equivalent here: the rule keeps no backendRef and answers 500, as the Ingress controller does, but the route's ResolvedRefs is False"));
            return null;
        }

        var qualified = $"{ingress.Namespace}/{service.Name}";
        var found = cluster.ServicesByName.GetValueOrDefault(qualified);
        if (found is null)
        {
            warnings.Add(Warn(ingress, field + ".service.name", $"Service {qualified} does not exist: the Ingress controller answers 503, a Gateway 500"));
        }

        var port = service.Port is { IsNamed: true } named
            ? found?.Ports.FirstOrDefault(p => p.Name == named.Name && p.Protocol == Protocol.TCP)?.Port
            : service.Port?.Number;
        if (port is null)
        {
            if (found is not null)
            {
                warnings.Add(Warn(ingress, field + ".service.port", $"Service {qualified} has no TCP port {service.Port}: a backendRef needs a port number, so the rule keeps none and a Gateway answers 500 where the Ingress controller answers 503"));
            }

            return null;
        }

        if (found is not null && !found.Ports.Any(p => p.Port == port && p.Protocol == Protocol.TCP))
        {
            warnings.Add(Warn(ingress, field + ".service.port.number", $"Service {qualified} has no TCP port {Invariant(port.Value)}: the Ingress controller answers 503, a Gateway 500"));
        }

        return new GatewayBackendRef { Name = service.Name, Port = port };
    }

    /// <summary>HTTPRoutes speak HTTP/1.1 to a backend unless its Service port says <c>appProtocol: kubernetes.io/h2c</c>.</summary>
    private static void WarnAboutBackendProtocol(Ingress ingress, List<IngressConversionWarning> warnings)
    {
        if (ingress.Meta.Annotations.Get(MailleIngressController.BackendProtocolAnnotation) is { } protocol
            && (protocol.Equals("H2C", StringComparison.OrdinalIgnoreCase) || protocol.Equals("GRPC", StringComparison.OrdinalIgnoreCase)))
        {
            warnings.Add(Warn(ingress, $"metadata.annotations[{MailleIngressController.BackendProtocolAnnotation}]", $"{protocol} has no HTTPRoute field: give the backend Services' ports appProtocol: kubernetes.io/h2c (or use a GRPCRoute), or the Gateway speaks HTTP/1.1 to them"));
        }
    }
}
