using System.Globalization;
using System.Text;

namespace Maille.TestKit;

/// <summary>
/// One rule of a <see cref="Route"/>. Matches are added with <see cref="Match"/> (HTTP) or <see cref="Grpc"/>; each
/// match is written in the flow style of the API (<c>{path: {type: Exact, value: /foo}, method: GET}</c>).
/// </summary>
public sealed class RouteRule
{
    private readonly List<string> _matches = [];
    private readonly List<string> _filters = [];
    private readonly List<string> _backends = [];
    private string? _timeouts;
    private string? _retry;

    public static RouteRule New() => new();

    /// <summary>A rule with one PathPrefix match.</summary>
    public static RouteRule Prefix(string path) => new RouteRule().Match(path: ("PathPrefix", path));

    /// <summary>A rule with one Exact match.</summary>
    public static RouteRule Exact(string path) => new RouteRule().Match(path: ("Exact", path));

    /// <summary>A match: path (type, value), method, exact headers and query parameters, all optional.</summary>
    public RouteRule Match((string Type, string Value)? path = null, string? method = null, (string Name, string Value)[]? headers = null, (string Name, string Value)[]? query = null, string? headerType = null)
    {
        var fields = new List<string>();
        if (path is var (type, value))
        {
            fields.Add($"path: {{type: {type}, value: \"{value}\"}}");
        }

        if (method is not null)
        {
            fields.Add($"method: {method}");
        }

        if (headers is { Length: > 0 })
        {
            fields.Add($"headers: [{string.Join(", ", headers.Select(h => $"{{{(headerType is null ? "" : $"type: {headerType}, ")}name: \"{h.Name}\", value: \"{h.Value}\"}}"))}]");
        }

        if (query is { Length: > 0 })
        {
            fields.Add($"queryParams: [{string.Join(", ", query.Select(q => $"{{name: \"{q.Name}\", value: \"{q.Value}\"}}"))}]");
        }

        _matches.Add("{" + string.Join(", ", fields) + "}");
        return this;
    }

    /// <summary>A GRPCRoute match on service and/or method (Exact unless <paramref name="type"/>) and exact headers.</summary>
    public RouteRule Grpc(string? service = null, string? method = null, string? type = null, params (string Name, string Value)[] headers)
    {
        var fields = new List<string>();
        if (service is not null || method is not null || type is not null)
        {
            var parts = new List<string>();
            if (type is not null)
            {
                parts.Add($"type: {type}");
            }

            if (service is not null)
            {
                parts.Add($"service: \"{service}\"");
            }

            if (method is not null)
            {
                parts.Add($"method: \"{method}\"");
            }

            fields.Add($"method: {{{string.Join(", ", parts)}}}");
        }

        if (headers.Length > 0)
        {
            fields.Add($"headers: [{string.Join(", ", headers.Select(h => $"{{name: \"{h.Name}\", value: \"{h.Value}\"}}"))}]");
        }

        _matches.Add("{" + string.Join(", ", fields) + "}");
        return this;
    }

    /// <summary>A backendRef to Service <paramref name="service"/> (port 8080 unless given), weight 1 unless given.</summary>
    public RouteRule To(string service, int port = 8080, int? weight = null, string? ns = null, string? kind = null, string? group = null)
    {
        var fields = new List<string> { $"name: {service}", $"port: {port.ToString(CultureInfo.InvariantCulture)}" };
        if (weight is { } w)
        {
            fields.Add($"weight: {w.ToString(CultureInfo.InvariantCulture)}");
        }

        if (ns is not null)
        {
            fields.Add($"namespace: {ns}");
        }

        if (kind is not null)
        {
            fields.Add($"kind: {kind}");
        }

        if (group is not null)
        {
            fields.Add($"group: \"{group}\"");
        }

        _backends.Add("{" + string.Join(", ", fields) + "}");
        return this;
    }

    /// <summary>
    /// A backendRef to Service <paramref name="service"/> port 8080 with <paramref name="weight"/> and its own filters,
    /// each as <see cref="Filter"/> writes one: <c>("RequestHeaderModifier", "requestHeaderModifier", "{set: […]}")</c>.
    /// </summary>
    public RouteRule ToFiltered(string service, int weight, params (string Type, string Field, string Body)[] filters)
    {
        var written = filters.Select(f => $"{{type: {f.Type}, {f.Field}: {f.Body}}}");
        _backends.Add($"{{name: {service}, port: 8080, weight: {weight.ToString(CultureInfo.InvariantCulture)}, filters: [{string.Join(", ", written)}]}}");
        return this;
    }

    /// <summary>A filter, written as its flow-style body: <c>Filter("RequestRedirect", "requestRedirect", "{statusCode: 301}")</c>.</summary>
    public RouteRule Filter(string type, string field, string body)
    {
        _filters.Add($"{{type: {type}, {field}: {body}}}");
        return this;
    }

    public RouteRule Redirect(string body) => Filter("RequestRedirect", "requestRedirect", body);

    public RouteRule Rewrite(string body) => Filter("URLRewrite", "urlRewrite", body);

    public RouteRule RequestHeaders(string body) => Filter("RequestHeaderModifier", "requestHeaderModifier", body);

    public RouteRule ResponseHeaders(string body) => Filter("ResponseHeaderModifier", "responseHeaderModifier", body);

    public RouteRule Mirror(string service, int port = 8080) => Filter("RequestMirror", "requestMirror", $"{{backendRef: {{name: {service}, port: {port.ToString(CultureInfo.InvariantCulture)}}}}}");

    public RouteRule Timeouts(string? request = null, string? backendRequest = null)
    {
        var parts = new List<string>();
        if (request is not null)
        {
            parts.Add($"request: {request}");
        }

        if (backendRequest is not null)
        {
            parts.Add($"backendRequest: {backendRequest}");
        }

        _timeouts = "{" + string.Join(", ", parts) + "}";
        return this;
    }

    /// <summary>GEP-1731's <c>retry</c> (experimental channel), as YAML: <c>{codes: [503], attempts: 2}</c>.</summary>
    public RouteRule Retry(string body)
    {
        _retry = body;
        return this;
    }

    internal string Yaml
    {
        get
        {
            var yaml = new StringBuilder("  - ");
            var lines = new List<string>();
            if (_matches.Count > 0)
            {
                lines.Add($"matches: [{string.Join(", ", _matches)}]");
            }

            if (_filters.Count > 0)
            {
                lines.Add($"filters: [{string.Join(", ", _filters)}]");
            }

            if (_backends.Count > 0)
            {
                lines.Add($"backendRefs: [{string.Join(", ", _backends)}]");
            }

            if (_timeouts is not null)
            {
                lines.Add($"timeouts: {_timeouts}");
            }

            if (_retry is not null)
            {
                lines.Add($"retry: {_retry}");
            }

            yaml.Append(lines.Count == 0 ? "{}\n" : string.Join("\n    ", lines) + "\n");
            return yaml.ToString();
        }
    }
}
