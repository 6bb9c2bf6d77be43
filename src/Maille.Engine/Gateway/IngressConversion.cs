using System.Collections.Immutable;
using System.Globalization;
using Maille.Engine.Ingresses;
using Maille.Model;

namespace Maille.Engine.Gateways;

/// <summary>
/// Writes Gateway API objects that route every request as Maille's Ingress controller routes the Ingresses of a
/// cluster (<c>maille convert ingress-to-gateway</c>), and says what they cannot express. A pure function of the
/// planned cluster.
/// <para>
/// One Gateway per IngressClass (or one named Gateway for all): an HTTP listener on 80 and an HTTPS listener on 443
/// per TLS host, with the Ingress's Secret as certificateRef (and a ReferenceGrant when the Secret's namespace is not
/// the Gateway's). One HTTPRoute per Ingress host, in the Ingress's namespace, one rule per path. The facts the
/// mapping rests on:
/// </para>
/// <list type="bullet">
/// <item>Gateway precedence puts an Exact path before any PathPrefix and then the longest PathPrefix, matched on whole
/// path elements, ignoring a trailing slash: the same choice as the Ingress's "longest path, Exact on a tie", because an
/// Exact path only matches the whole request path, which no Prefix can be longer than. Prefix and
/// ImplementationSpecific (a Prefix in Maille) become PathPrefix without their trailing slash.</item>
/// <item>An Ingress path that another Ingress of the same host, path and type shadows (the older wins) is left out:
/// it never took a request.</item>
/// <item>Backends become backendRefs in the route's own namespace; a port named by name is resolved to its number from
/// the Service, since a backendRef needs a number.</item>
/// <item>The Ingress controller sends a request its host's rules do not match to the defaultBackend (of the first
/// Ingress in precedence that has one), never to less specific hosts; a Gateway tries less specific hostnames next.
/// So the defaultBackend becomes a PathPrefix <c>/</c> route for every host whose rules lack one, and for any
/// host.</item>
/// </list>
/// </summary>
public static partial class IngressConversion
{
    // A route's hostnames hold at most 16 entries (the HTTPRoute CRD's maxItems).
    private const int MaxHostnames = 16;

    public static IngressConversionResult Convert(ClusterState cluster, IngressConversionOptions options)
    {
        var warnings = new List<IngressConversionWarning>();
        var className = options.GatewayClassName ?? IngressConversionOptions.DefaultGatewayClassName;
        var gateways = new List<Gateway>();
        var grants = new List<ReferenceGrant>();
        var routes = new List<HttpRoute>();
        foreach (var (gatewayName, ingresses) in Group(cluster, options, warnings))
        {
            var gatewayNamespace = options.GatewayNamespace
                ?? (ingresses.Select(i => i.Namespace).Distinct(StringComparer.Ordinal).Count() == 1 ? ingresses[0].Namespace : "default");
            var gateway = new GatewayTarget(gatewayNamespace, gatewayName);
            var listeners = Listeners(ingresses, gateway, grants, warnings);
            gateways.Add(new Gateway
            {
                Meta = new ObjectMeta { Name = gatewayName, Namespace = gatewayNamespace },
                GatewayClassName = className,
                Listeners = listeners.ToImmutableArray(),
            });
            routes.AddRange(Routes(cluster, ingresses, gateway, warnings));
        }

        var gatewayClass = options.GatewayClassName is null && gateways.Count > 0
            ? new GatewayClass { Meta = new ObjectMeta { Name = className }, ControllerName = GatewayApi.ControllerName }
            : null;
        return new IngressConversionResult(gatewayClass, gateways, grants, routes, warnings);
    }

    /// <summary>
    /// The Ingresses behind each Gateway, each list in <see cref="IngressPrecedence"/> order: by IngressClass (its
    /// name, else the legacy annotation, else the one default class), or all behind the one named Gateway.
    /// </summary>
    private static IEnumerable<(string Gateway, List<Ingress> Ingresses)> Group(ClusterState cluster, IngressConversionOptions options, List<IngressConversionWarning> warnings)
    {
        var defaults = cluster.IngressClasses.Where(c => c.IsDefault).ToList();
        var groups = new SortedDictionary<string, List<Ingress>>(StringComparer.Ordinal);
        foreach (var ingress in cluster.Ingresses.Order(IngressPrecedence.Instance))
        {
            var name = ingress.ClassName ?? (defaults.Count == 1 ? defaults[0].Name : null);
            if (name is null && options.GatewayName is null)
            {
                warnings.Add(Warn(ingress, "spec.ingressClassName", defaults.Count == 0
                    ? "names no IngressClass and none is the default: no controller serves it, so it is not converted (give --gateway to put it behind one)"
                    : $"names no IngressClass and {defaults.Count} are the default: Kubernetes refuses it, so it is not converted"));
                continue;
            }

            var key = options.GatewayName ?? name!;
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
            }

            list.Add(ingress);
        }

        return groups.Select(g => (g.Key, g.Value));
    }

    private static IngressConversionWarning Warn(Ingress ingress, string field, string message) =>
        new(ingress.Meta.Source, ingress.Meta.QualifiedName, field, message);

    /// <summary>A DNS label made of a host: <c>*.shop.example</c> → <c>wildcard-shop-example</c>.</summary>
    private static string Slug(string? host) =>
        host is null ? "any-host" : host.Replace("*", "wildcard", StringComparison.Ordinal).Replace('.', '-');

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The Gateway the written routes attach to.</summary>
    private sealed record GatewayTarget(string Namespace, string Name)
    {
        public GatewayParentRef ParentRefFrom(string routeNamespace) =>
            new() { Name = Name, Namespace = routeNamespace == Namespace ? null : Namespace };
    }
}
