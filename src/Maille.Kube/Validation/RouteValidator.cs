using Maille.Engine.Validation;
using Maille.Kube.Gateway;
using Maille.Model;
using static Maille.Kube.Gateway.RouteDocumentParts;

namespace Maille.Kube.Validation;

/// <summary>
/// HTTPRoute and GRPCRoute as their CRDs validate them: the parts they share (parentRefs with their CEL rules,
/// hostnames, backendRefs, header matches, filters) and each kind's rules and matches.
/// </summary>
internal static partial class RouteValidator
{
    private static readonly string[] HttpFilterTypes = ["RequestHeaderModifier", "ResponseHeaderModifier", "RequestMirror", "RequestRedirect", "URLRewrite", "ExtensionRef", "CORS"];

    private static readonly string[] GrpcFilterTypes = ["ResponseHeaderModifier", "RequestHeaderModifier", "RequestMirror", "ExtensionRef"];

    public static void ValidateHttp(HttpRouteDocument document, string ns, SourceLocation source, List<Diagnostic> diagnostics)
    {
        var errors = ObjectMetaValidator.Validate(GatewayApi.HttpRouteKind, ns, document.Metadata, NameRules.Dns1123Subdomain, source, diagnostics);
        var spec = document.Spec ?? new RouteSpec<HttpRouteDocument.Rule>();
        Common(errors, spec.ParentRefs, spec.Hostnames);
        var rules = spec.Rules ?? [];
        GatewaySchema.MaxItems(errors, "spec.rules", rules, 16);
        if (rules.Sum(r => Math.Max(1, r?.Matches?.Count ?? 0)) > 128)
        {
            GatewaySchema.Rule(errors, "spec.rules", "array", "While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128");
        }

        for (var r = 0; r < rules.Count; r++)
        {
            var at = $"spec.rules[{r}]";
            var rule = rules[r] ?? new HttpRouteDocument.Rule();
            RuleName(errors, at, rule.Name);
            var matches = rule.Matches ?? [];
            GatewaySchema.MaxItems(errors, $"{at}.matches", matches, 64);
            for (var m = 0; m < matches.Count; m++)
            {
                HttpMatch(errors, $"{at}.matches[{m}]", matches[m] ?? new HttpRouteDocument.Match());
            }

            FilterList(errors, $"{at}.filters", rule.Filters, HttpFilterTypes);
            BackendRefs(errors, $"{at}.backendRefs", rule.BackendRefs, HttpFilterTypes);
            if (rule.Retry is { } retry)
            {
                // The experimental CRD's schema: codes 400-599, attempts and backoff as the other durations. The standard
                // CRDs that a lab's API serves lack the field (kubectl warns there), so say where it comes from.
                errors.Warning($"{at}.retry", "retries (GEP-1731) are in the Gateway API's experimental channel: Maille's Gateway proxy and waypoints carry them out, but the standard CRDs (and a lab's API) do not have the field");
                var codes = retry.Codes ?? [];
                for (var c = 0; c < codes.Count; c++)
                {
                    GatewaySchema.Range(errors, $"{at}.retry.codes[{c}]", codes[c], 400, 599);
                }

                GatewaySchema.Range(errors, $"{at}.retry.attempts", retry.Attempts, 0, int.MaxValue);
                GatewaySchema.Pattern(errors, $"{at}.retry.backoff", retry.Backoff, GatewaySchema.DurationPattern);
            }

            var filters = (rule.Filters ?? []).OfType<Filter>().ToList();
            if (filters.Any(f => f.Type == "RequestRedirect") && (rule.BackendRefs ?? []).Count > 0)
            {
                GatewaySchema.Rule(errors, at, "object", "RequestRedirect filter must not be used together with backendRefs");
            }

            var singlePrefix = matches.Count == 1 && (matches[0]?.Path?.Type ?? "PathPrefix") == "PathPrefix";
            if (filters.Any(f => f.RequestRedirect?.Path?.Type == "ReplacePrefixMatch") && !singlePrefix)
            {
                GatewaySchema.Rule(errors, at, "object", "When using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified");
            }

            if (filters.Any(f => f.UrlRewrite?.Path?.Type == "ReplacePrefixMatch") && !singlePrefix)
            {
                GatewaySchema.Rule(errors, at, "object", "When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified");
            }

            if (rule.Timeouts is { } timeouts)
            {
                GatewaySchema.Pattern(errors, $"{at}.timeouts.request", timeouts.Request, GatewaySchema.DurationPattern);
                GatewaySchema.Pattern(errors, $"{at}.timeouts.backendRequest", timeouts.BackendRequest, GatewaySchema.DurationPattern);
                if (GatewayDuration.TryParse(timeouts.Request) is { } request && GatewayDuration.TryParse(timeouts.BackendRequest) is { } backend
                    && request != TimeSpan.Zero && (backend > request || backend == TimeSpan.Zero))
                {
                    GatewaySchema.Rule(errors, $"{at}.timeouts", "object", "backendRequest timeout cannot be longer than request timeout");
                }
            }
        }
    }

    public static void ValidateGrpc(GrpcRouteDocument document, string ns, SourceLocation source, List<Diagnostic> diagnostics)
    {
        var errors = ObjectMetaValidator.Validate(GatewayApi.GrpcRouteKind, ns, document.Metadata, NameRules.Dns1123Subdomain, source, diagnostics);
        var spec = document.Spec ?? new RouteSpec<GrpcRouteDocument.Rule>();
        Common(errors, spec.ParentRefs, spec.Hostnames);
        var rules = spec.Rules ?? [];
        GatewaySchema.MaxItems(errors, "spec.rules", rules, 16);
        if (rules.Sum(r => r?.Matches?.Count ?? 0) > 128)
        {
            GatewaySchema.Rule(errors, "spec.rules", "array", "While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128");
        }

        for (var r = 0; r < rules.Count; r++)
        {
            var at = $"spec.rules[{r}]";
            var rule = rules[r] ?? new GrpcRouteDocument.Rule();
            RuleName(errors, at, rule.Name);
            var matches = rule.Matches ?? [];
            GatewaySchema.MaxItems(errors, $"{at}.matches", matches, 64);
            for (var m = 0; m < matches.Count; m++)
            {
                var match = matches[m] ?? new GrpcRouteDocument.Match();
                var mat = $"{at}.matches[{m}]";
                if (match.Method is { } method)
                {
                    GatewaySchema.Enum(errors, $"{mat}.method.type", method.Type, ["Exact", "RegularExpression"]);
                    if (string.IsNullOrEmpty(method.Service) && string.IsNullOrEmpty(method.Method))
                    {
                        GatewaySchema.Rule(errors, $"{mat}.method", "object", "One or both of 'service' or 'method' must be specified");
                    }

                    if ((method.Type ?? "Exact") == "Exact")
                    {
                        if (!string.IsNullOrEmpty(method.Service) && !GrpcServicePattern().IsMatch(method.Service))
                        {
                            GatewaySchema.Rule(errors, $"{mat}.method", "object", @"service must only contain valid characters (matching ^(?i)\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$)");
                        }

                        if (!string.IsNullOrEmpty(method.Method) && !GrpcMethodPattern().IsMatch(method.Method))
                        {
                            GatewaySchema.Rule(errors, $"{mat}.method", "object", "method must only contain valid characters (matching ^[A-Za-z_][A-Za-z_0-9]*$)");
                        }
                    }
                }

                ValueMatches(errors, $"{mat}.headers", match.Headers, 4096);
            }

            FilterList(errors, $"{at}.filters", rule.Filters, GrpcFilterTypes);
            BackendRefs(errors, $"{at}.backendRefs", rule.BackendRefs, GrpcFilterTypes);
        }
    }

    private static void Common(FieldErrors errors, List<ParentRef?>? parentRefs, List<string?>? hostnames)
    {
        var parents = parentRefs ?? [];
        GatewaySchema.MaxItems(errors, "spec.parentRefs", parents, 32);
        for (var i = 0; i < parents.Count; i++)
        {
            var parent = parents[i] ?? new ParentRef();
            var at = $"spec.parentRefs[{i}]";
            if (GatewaySchema.Required(errors, $"{at}.name", parent.Name))
            {
                GatewaySchema.MaxLength(errors, $"{at}.name", parent.Name, 253);
            }

            GatewaySchema.Pattern(errors, $"{at}.sectionName", parent.SectionName, GatewaySchema.SectionNamePattern);
            GatewaySchema.Range(errors, $"{at}.port", parent.Port, 1, 65535);
        }

        // The CEL rules across parentRefs: two references to one parent must each name a distinct section.
        var sameParent = parents.OfType<ParentRef>()
            .GroupBy(p => (p.Group ?? GatewayApi.Group, p.Kind ?? GatewayApi.GatewayKind, p.Namespace ?? "", p.Name ?? ""))
            .Where(g => g.Count() > 1)
            .ToList();
        if (sameParent.Any(g => g.Any(p => string.IsNullOrEmpty(p.SectionName))))
        {
            GatewaySchema.Rule(errors, "spec.parentRefs", "array", "sectionName must be specified when parentRefs includes 2 or more references to the same parent");
        }

        if (sameParent.Any(g => g.GroupBy(p => (p.SectionName ?? "", p.Port)).Any(s => s.Count() > 1)))
        {
            GatewaySchema.Rule(errors, "spec.parentRefs", "array", "sectionName must be unique when parentRefs includes 2 or more references to the same parent");
        }

        var names = hostnames ?? [];
        GatewaySchema.MaxItems(errors, "spec.hostnames", names, 16);
        for (var i = 0; i < names.Count; i++)
        {
            GatewaySchema.Hostname(errors, $"spec.hostnames[{i}]", names[i] ?? "");
        }
    }

    private static void RuleName(FieldErrors errors, string at, string? name)
    {
        GatewaySchema.MaxLength(errors, $"{at}.name", name, 253);
        GatewaySchema.Pattern(errors, $"{at}.name", name, GatewaySchema.SectionNamePattern);
    }

    private static void HttpMatch(FieldErrors errors, string at, HttpRouteDocument.Match match)
    {
        if (match.Path is { } path)
        {
            var type = path.Type ?? "PathPrefix";
            var value = path.Value ?? "/";
            GatewaySchema.Enum(errors, $"{at}.path.type", path.Type, ["Exact", "PathPrefix", "RegularExpression"]);
            GatewaySchema.MaxLength(errors, $"{at}.path.value", path.Value, 1024);
            if (type is "Exact" or "PathPrefix")
            {
                foreach (var problem in PathProblems(value))
                {
                    GatewaySchema.Rule(errors, $"{at}.path", "object", problem + " when type one of ['Exact', 'PathPrefix']");
                }
            }
        }

        ValueMatches(errors, $"{at}.headers", match.Headers, 4096);
        ValueMatches(errors, $"{at}.queryParams", match.QueryParams, 1024);
        GatewaySchema.Enum(errors, $"{at}.method", match.Method, GatewaySchema.Methods);
    }

    /// <summary>The CEL rules on an Exact or PathPrefix value, in the CRD's order.</summary>
    private static IEnumerable<string> PathProblems(string value)
    {
        if (!value.StartsWith('/'))
        {
            yield return "value must be an absolute path and start with '/'";
        }

        foreach (var bad in new[] { "//", "/./", "/../", "%2f", "%2F", "#" })
        {
            if (value.Contains(bad, StringComparison.Ordinal))
            {
                yield return $"must not contain '{bad}'";
            }
        }

        if (value.EndsWith("/..", StringComparison.Ordinal))
        {
            yield return "must not end with '/..'";
        }
        else if (value.EndsWith("/.", StringComparison.Ordinal))
        {
            yield return "must not end with '/.'";
        }

        if (!PathCharacters().IsMatch(value))
        {
            yield return "must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']";
        }
    }

    private static void ValueMatches(FieldErrors errors, string at, List<ValueMatch?>? matches, int maxValue)
    {
        var list = matches ?? [];
        GatewaySchema.MaxItems(errors, at, list, 16);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < list.Count; i++)
        {
            var match = list[i] ?? new ValueMatch();
            if (GatewaySchema.Required(errors, $"{at}[{i}].name", match.Name))
            {
                GatewaySchema.MaxLength(errors, $"{at}[{i}].name", match.Name, 256);
                GatewaySchema.Pattern(errors, $"{at}[{i}].name", match.Name, GatewaySchema.HeaderNamePattern);
                if (!seen.Add(match.Name!))
                {
                    errors.Duplicate($"{at}[{i}]", match.Name!);
                }
            }

            if (match.Value is null)
            {
                errors.Required($"{at}[{i}].value");
            }

            GatewaySchema.MaxLength(errors, $"{at}[{i}].value", match.Value, maxValue);
            GatewaySchema.Enum(errors, $"{at}[{i}].type", match.Type, ["Exact", "RegularExpression"]);
        }
    }

    private static void BackendRefs(FieldErrors errors, string at, List<BackendRef?>? backends, string[] filterTypes)
    {
        var list = backends ?? [];
        GatewaySchema.MaxItems(errors, at, list, 16);
        for (var i = 0; i < list.Count; i++)
        {
            var backend = list[i] ?? new BackendRef();
            BackendRef(errors, $"{at}[{i}]", backend);
            GatewaySchema.Range(errors, $"{at}[{i}].weight", backend.Weight, 0, 1000000);
            FilterList(errors, $"{at}[{i}].filters", backend.Filters, filterTypes);
        }
    }

    private static void BackendRef(FieldErrors errors, string at, BackendRef backend)
    {
        if (GatewaySchema.Required(errors, $"{at}.name", backend.Name))
        {
            GatewaySchema.MaxLength(errors, $"{at}.name", backend.Name, 253);
        }

        GatewaySchema.MaxLength(errors, $"{at}.namespace", backend.Namespace, 63);
        GatewaySchema.Range(errors, $"{at}.port", backend.Port, 1, 65535);
        if ((backend.Group ?? "") == "" && (backend.Kind ?? "Service") == "Service" && backend.Port is null)
        {
            GatewaySchema.Rule(errors, at, "object", "Must have port for Service reference");
        }
    }

    private static void FilterList(FieldErrors errors, string at, List<Filter?>? filters, string[] types)
    {
        var list = filters ?? [];
        GatewaySchema.MaxItems(errors, at, list, 16);
        var present = list.OfType<Filter>().ToList();
        if (present.Any(f => f.Type == "RequestRedirect") && present.Any(f => f.Type == "URLRewrite"))
        {
            GatewaySchema.Rule(errors, at, "array", "May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both");
        }

        foreach (var type in new[] { "CORS", "RequestHeaderModifier", "ResponseHeaderModifier", "RequestRedirect", "URLRewrite" })
        {
            if (types.Contains(type) && present.Count(f => f.Type == type) > 1)
            {
                GatewaySchema.Rule(errors, at, "array", $"{type} filter cannot be repeated");
            }
        }

        for (var i = 0; i < list.Count; i++)
        {
            var filter = list[i] ?? new Filter();
            var fat = $"{at}[{i}]";
            if (GatewaySchema.Required(errors, $"{fat}.type", filter.Type))
            {
                GatewaySchema.Enum(errors, $"{fat}.type", filter.Type, types);
            }

            foreach (var (type, field, set) in new (string, string, bool)[]
            {
                ("RequestHeaderModifier", "requestHeaderModifier", filter.RequestHeaderModifier is not null),
                ("ResponseHeaderModifier", "responseHeaderModifier", filter.ResponseHeaderModifier is not null),
                ("RequestMirror", "requestMirror", filter.RequestMirror is not null),
                ("RequestRedirect", "requestRedirect", filter.RequestRedirect is not null),
                ("URLRewrite", "urlRewrite", filter.UrlRewrite is not null),
                ("ExtensionRef", "extensionRef", filter.ExtensionRef is not null),
                ("CORS", "cors", filter.Cors is not null),
            })
            {
                if (!types.Contains(type))
                {
                    continue;
                }

                if (set && filter.Type != type)
                {
                    GatewaySchema.Rule(errors, fat, "object", type == "CORS" ? "filter.cors must be nil if the filter.type is not CORS" : $"filter.{field} must be nil if the filter.type is not {type}");
                }
                else if (!set && filter.Type == type)
                {
                    GatewaySchema.Rule(errors, fat, "object", type == "CORS" ? "filter.cors must be specified for CORS filter.type" : $"filter.{field} must be specified for {type} filter.type");
                }
            }

            HeaderModifier(errors, $"{fat}.requestHeaderModifier", filter.RequestHeaderModifier);
            HeaderModifier(errors, $"{fat}.responseHeaderModifier", filter.ResponseHeaderModifier);
            if (filter.RequestRedirect is { } redirect)
            {
                GatewaySchema.Enum(errors, $"{fat}.requestRedirect.scheme", redirect.Scheme, ["http", "https"]);
                GatewaySchema.Hostname(errors, $"{fat}.requestRedirect.hostname", redirect.Hostname);
                GatewaySchema.Range(errors, $"{fat}.requestRedirect.port", redirect.Port, 1, 65535);
                if (redirect.StatusCode is { } code && code is not (301 or 302 or 303 or 307 or 308))
                {
                    errors.NotSupported($"{fat}.requestRedirect.statusCode", code, ["301", "302", "303", "307", "308"]);
                }

                PathModifier(errors, $"{fat}.requestRedirect.path", redirect.Path);
            }

            if (filter.UrlRewrite is { } rewrite)
            {
                GatewaySchema.Hostname(errors, $"{fat}.urlRewrite.hostname", rewrite.Hostname);
                PathModifier(errors, $"{fat}.urlRewrite.path", rewrite.Path);
            }

            if (filter.RequestMirror is { } mirror)
            {
                if (mirror.BackendRef is null)
                {
                    errors.Required($"{fat}.requestMirror.backendRef");
                }
                else
                {
                    BackendRef(errors, $"{fat}.requestMirror.backendRef", mirror.BackendRef);
                }

                GatewaySchema.Range(errors, $"{fat}.requestMirror.percent", mirror.Percent, 0, 100);
                if (mirror.Percent is not null && mirror.Fraction is not null)
                {
                    GatewaySchema.Rule(errors, $"{fat}.requestMirror", "object", "Only one of percent or fraction may be specified in HTTPRequestMirrorFilter");
                }

                if (mirror.Fraction is { } fraction)
                {
                    GatewaySchema.Range(errors, $"{fat}.requestMirror.fraction.numerator", fraction.Numerator, 0, int.MaxValue);
                    GatewaySchema.Range(errors, $"{fat}.requestMirror.fraction.denominator", fraction.Denominator, 1, int.MaxValue);
                    if (fraction.Numerator > (fraction.Denominator ?? 100))
                    {
                        GatewaySchema.Rule(errors, $"{fat}.requestMirror.fraction", "object", "numerator must be less than or equal to denominator");
                    }
                }
            }
        }
    }

    private static void HeaderModifier(FieldErrors errors, string at, HeaderModifier? modifier)
    {
        if (modifier is null)
        {
            return;
        }

        foreach (var (name, list) in new[] { ("set", modifier.Set), ("add", modifier.Add) })
        {
            var headers = list ?? [];
            GatewaySchema.MaxItems(errors, $"{at}.{name}", headers, 16);
            for (var i = 0; i < headers.Count; i++)
            {
                var header = headers[i] ?? new ValueMatch();
                if (GatewaySchema.Required(errors, $"{at}.{name}[{i}].name", header.Name))
                {
                    GatewaySchema.Pattern(errors, $"{at}.{name}[{i}].name", header.Name, GatewaySchema.HeaderNamePattern);
                }

                GatewaySchema.MaxLength(errors, $"{at}.{name}[{i}].value", header.Value, 4096);
            }
        }

        GatewaySchema.MaxItems(errors, $"{at}.remove", modifier.Remove, 16);
    }

    private static void PathModifier(FieldErrors errors, string at, PathModifier? path)
    {
        if (path is null)
        {
            return;
        }

        if (GatewaySchema.Required(errors, $"{at}.type", path.Type))
        {
            GatewaySchema.Enum(errors, $"{at}.type", path.Type, ["ReplaceFullPath", "ReplacePrefixMatch"]);
        }

        GatewaySchema.MaxLength(errors, $"{at}.replaceFullPath", path.ReplaceFullPath, 1024);
        GatewaySchema.MaxLength(errors, $"{at}.replacePrefixMatch", path.ReplacePrefixMatch, 1024);
        if (path.Type == "ReplaceFullPath" && path.ReplaceFullPath is null)
        {
            GatewaySchema.Rule(errors, at, "object", "replaceFullPath must be specified when type is set to 'ReplaceFullPath'");
        }

        if (path.ReplaceFullPath is not null && path.Type != "ReplaceFullPath")
        {
            GatewaySchema.Rule(errors, at, "object", "type must be 'ReplaceFullPath' when replaceFullPath is set");
        }

        if (path.Type == "ReplacePrefixMatch" && path.ReplacePrefixMatch is null)
        {
            GatewaySchema.Rule(errors, at, "object", "replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'");
        }

        if (path.ReplacePrefixMatch is not null && path.Type != "ReplacePrefixMatch")
        {
            GatewaySchema.Rule(errors, at, "object", "type must be 'ReplacePrefixMatch' when replacePrefixMatch is set");
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$")]
    private static partial System.Text.RegularExpressions.Regex PathCharacters();

    [System.Text.RegularExpressions.GeneratedRegex(@"^\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex GrpcServicePattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z_][A-Za-z_0-9]*$")]
    private static partial System.Text.RegularExpressions.Regex GrpcMethodPattern();
}
