using Maille.Kube.Gateway;
using Maille.Model;
using static Maille.Kube.Gateway.RouteDocumentParts;

namespace Maille.Kube;

/// <summary>Gateway API documents into the model, with the CRDs' defaults applied (the API server would apply them when storing).</summary>
internal static partial class ModelConverter
{
    public static GatewayClass ConvertGatewayClass(GatewayClassDocument document, SourceLocation source) => new()
    {
        Meta = Meta(document.Metadata, null, source),
        ControllerName = document.Spec?.ControllerName ?? "",
        Description = document.Spec?.Description,
    };

    public static Model.Gateway ConvertGateway(GatewayDocument document, string ns, SourceLocation source)
    {
        var spec = document.Spec ?? new GatewayDocument.GatewaySpec();
        return new Model.Gateway
        {
            Meta = Meta(document.Metadata, ns, source),
            GatewayClassName = spec.GatewayClassName ?? "",
            Listeners = new((spec.Listeners ?? []).OfType<GatewayDocument.ListenerSpec>().Select(ConvertListener)),
            RequestedAddresses = new((spec.Addresses ?? []).Select(a => a?.Value).OfType<string>()),
        };
    }

    private static GatewayListener ConvertListener(GatewayDocument.ListenerSpec listener) => new()
    {
        Name = listener.Name ?? "",
        Hostname = string.IsNullOrEmpty(listener.Hostname) ? null : listener.Hostname,
        Port = listener.Port ?? 0,
        Protocol = listener.Protocol ?? "",
        TlsMode = listener.Tls is null ? null : listener.Tls.Mode ?? "Terminate",
        CertificateRefs = new((listener.Tls?.CertificateRefs ?? []).OfType<ObjectReferenceDocument>()
            .Select(c => new GatewayObjectReference(c.Group ?? "", c.Kind ?? "Secret", c.Name ?? "", c.Namespace))),
        AllowedRoutes = listener.AllowedRoutes is not { } allowed
            ? GatewayAllowedRoutes.Default
            : new GatewayAllowedRoutes
            {
                From = allowed.Namespaces?.From ?? "Same",
                Selector = Selector(allowed.Namespaces?.Selector),
                Kinds = new((allowed.Kinds ?? []).OfType<GatewayDocument.RouteKindSpec>().Select(k => new GatewayRouteKind(k.Group ?? GatewayApi.Group, k.Kind ?? ""))),
            },
    };

    public static HttpRoute ConvertHttpRoute(HttpRouteDocument document, string ns, SourceLocation source)
    {
        var spec = document.Spec ?? new RouteSpec<HttpRouteDocument.Rule>();
        var rules = (spec.Rules ?? []).Select(r => r ?? new HttpRouteDocument.Rule()).Select(rule => new HttpRouteRule
        {
            Name = rule.Name,
            Matches = rule.Matches is { Count: > 0 } matches
                ? new(matches.Select(m => m ?? new HttpRouteDocument.Match()).Select(ConvertHttpMatch))
                : new([new HttpRouteMatch()]),
            Filters = Filters(rule.Filters),
            BackendRefs = new((rule.BackendRefs ?? []).OfType<BackendRef>().Select(BackendRefOf)),
            RequestTimeout = rule.Timeouts?.Request,
            BackendRequestTimeout = rule.Timeouts?.BackendRequest,
            Retry = rule.Retry is { } retry
                ? new HttpRouteRetry { Codes = new((retry.Codes ?? []).OfType<int>()), Attempts = retry.Attempts, Backoff = retry.Backoff }
                : null,
        }).ToList();
        return new HttpRoute
        {
            Meta = Meta(document.Metadata, ns, source),
            ParentRefs = ParentRefs(spec.ParentRefs),
            Hostnames = new((spec.Hostnames ?? []).OfType<string>()),
            Rules = rules.Count > 0 ? new(rules) : new([new HttpRouteRule { Matches = new([new HttpRouteMatch()]) }]),
        };
    }

    private static HttpRouteMatch ConvertHttpMatch(HttpRouteDocument.Match match) => new()
    {
        Path = match.Path is { } path ? new HttpPathMatch(path.Type ?? "PathPrefix", path.Value ?? "/") : HttpPathMatch.Default,
        Headers = ValueMatches(match.Headers),
        QueryParams = ValueMatches(match.QueryParams),
        Method = match.Method,
    };

    public static GrpcRoute ConvertGrpcRoute(GrpcRouteDocument document, string ns, SourceLocation source)
    {
        var spec = document.Spec ?? new RouteSpec<GrpcRouteDocument.Rule>();
        return new GrpcRoute
        {
            Meta = Meta(document.Metadata, ns, source),
            ParentRefs = ParentRefs(spec.ParentRefs),
            Hostnames = new((spec.Hostnames ?? []).OfType<string>()),
            Rules = new((spec.Rules ?? []).Select(r => r ?? new GrpcRouteDocument.Rule()).Select(rule => new GrpcRouteRule
            {
                Name = rule.Name,
                Matches = new((rule.Matches ?? []).Select(m => m ?? new GrpcRouteDocument.Match()).Select(m => new GrpcRouteMatch
                {
                    MethodType = m.Method?.Type ?? "Exact",
                    Service = m.Method?.Service,
                    Method = m.Method?.Method,
                    HasMethod = m.Method is not null,
                    Headers = ValueMatches(m.Headers),
                })),
                Filters = Filters(rule.Filters),
                BackendRefs = new((rule.BackendRefs ?? []).OfType<BackendRef>().Select(BackendRefOf)),
            })),
        };
    }

    public static ReferenceGrant ConvertReferenceGrant(ReferenceGrantDocument document, string ns, SourceLocation source)
    {
        var spec = document.Spec ?? new ReferenceGrantDocument.GrantSpec();
        return new ReferenceGrant
        {
            Meta = Meta(document.Metadata, ns, source),
            From = new((spec.From ?? []).OfType<ReferenceGrantDocument.Subject>().Select(f => new ReferenceGrantFrom(f.Group ?? "", f.Kind ?? "", f.Namespace ?? ""))),
            To = new((spec.To ?? []).OfType<ReferenceGrantDocument.Subject>().Select(t => new ReferenceGrantTo(t.Group ?? "", t.Kind ?? "", string.IsNullOrEmpty(t.Name) ? null : t.Name))),
        };
    }

    private static EquatableArray<GatewayParentRef> ParentRefs(List<ParentRef?>? refs) =>
        new((refs ?? []).OfType<ParentRef>().Select(p => new GatewayParentRef
        {
            Group = p.Group ?? GatewayApi.Group,
            Kind = p.Kind ?? GatewayApi.GatewayKind,
            Namespace = string.IsNullOrEmpty(p.Namespace) ? null : p.Namespace,
            Name = p.Name ?? "",
            SectionName = string.IsNullOrEmpty(p.SectionName) ? null : p.SectionName,
            Port = p.Port,
        }));

    private static GatewayBackendRef BackendRefOf(BackendRef backend) => new()
    {
        Group = backend.Group ?? "",
        Kind = backend.Kind ?? "Service",
        Name = backend.Name ?? "",
        Namespace = string.IsNullOrEmpty(backend.Namespace) ? null : backend.Namespace,
        Port = backend.Port,
        Weight = backend.Weight ?? 1,
        Filters = Filters(backend.Filters),
    };

    private static EquatableArray<HttpValueMatch> ValueMatches(List<ValueMatch?>? matches) =>
        new((matches ?? []).OfType<ValueMatch>().Select(m => new HttpValueMatch(m.Type ?? "Exact", m.Name ?? "", m.Value ?? "")));

    private static EquatableArray<HttpRouteFilter> Filters(List<Filter?>? filters) =>
        new((filters ?? []).OfType<Filter>().Select(f => new HttpRouteFilter
        {
            Type = f.Type ?? "",
            RequestHeaderModifier = HeaderModifierOf(f.RequestHeaderModifier),
            ResponseHeaderModifier = HeaderModifierOf(f.ResponseHeaderModifier),
            RequestRedirect = f.RequestRedirect is { } r
                ? new HttpRequestRedirect { Scheme = r.Scheme, Hostname = r.Hostname, Path = PathModifierOf(r.Path), Port = r.Port, StatusCode = r.StatusCode ?? 302 }
                : null,
            UrlRewrite = f.UrlRewrite is { } w ? new HttpUrlRewrite(w.Hostname, PathModifierOf(w.Path)) : null,
            RequestMirror = f.RequestMirror is { } m
                ? new HttpRequestMirror
                {
                    BackendRef = BackendRefOf(m.BackendRef ?? new BackendRef()),
                    Percent = m.Percent,
                    FractionNumerator = m.Fraction?.Numerator,
                    FractionDenominator = m.Fraction?.Denominator ?? 100,
                }
                : null,
            HasUnmodelledField = f.Cors is not null || f.ExtensionRef is not null,
        }));

    private static HttpHeaderModifier? HeaderModifierOf(HeaderModifier? modifier) => modifier is null ? null : new()
    {
        Set = new((modifier.Set ?? []).OfType<ValueMatch>().Select(h => new HttpHeader(h.Name ?? "", h.Value ?? ""))),
        Add = new((modifier.Add ?? []).OfType<ValueMatch>().Select(h => new HttpHeader(h.Name ?? "", h.Value ?? ""))),
        Remove = new((modifier.Remove ?? []).OfType<string>()),
    };

    private static HttpPathModifier? PathModifierOf(PathModifier? path) =>
        path is null ? null : new HttpPathModifier(path.Type ?? "", path.ReplaceFullPath, path.ReplacePrefixMatch);
}
