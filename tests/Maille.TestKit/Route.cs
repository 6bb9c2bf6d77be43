using System.Globalization;
using System.Text;

namespace Maille.TestKit;

/// <summary>An HTTPRoute or GRPCRoute for <see cref="GatewayWorld"/>: parents, hostnames and rules, added in order.</summary>
public sealed class Route
{
    private readonly string _kind;
    private readonly string _namespace;
    private readonly string _name;
    private readonly List<string> _parents = [];
    private readonly List<string> _hostnames = [];
    private readonly List<RouteRule> _rules = [];
    private string? _created;

    private Route(string kind, string ns, string name)
    {
        _kind = kind;
        _namespace = ns;
        _name = name;
    }

    public static Route Http(string name, string ns = GatewayWorld.Infra) => new("HTTPRoute", ns, name);

    public static Route Grpc(string name, string ns = GatewayWorld.Infra) => new("GRPCRoute", ns, name);

    /// <summary>A parentRef to a Gateway (in <paramref name="ns"/> when given), optionally a section or port.</summary>
    public Route Parent(string gateway, string? ns = null, string? section = null, int? port = null)
    {
        var fields = new List<string> { $"name: {gateway}" };
        if (ns is not null)
        {
            fields.Add($"namespace: {ns}");
        }

        if (section is not null)
        {
            fields.Add($"sectionName: {section}");
        }

        if (port is { } p)
        {
            fields.Add($"port: {p.ToString(CultureInfo.InvariantCulture)}");
        }

        _parents.Add("{" + string.Join(", ", fields) + "}");
        return this;
    }

    public Route Hostnames(params string[] hostnames)
    {
        _hostnames.AddRange(hostnames);
        return this;
    }

    public Route Rule(RouteRule rule)
    {
        _rules.Add(rule);
        return this;
    }

    /// <summary>The route's creationTimestamp (for precedence by age).</summary>
    public Route Created(string timestamp)
    {
        _created = timestamp;
        return this;
    }

    internal string Yaml
    {
        get
        {
            var yaml = new StringBuilder($"apiVersion: gateway.networking.k8s.io/v1\nkind: {_kind}\nmetadata:\n  name: {_name}\n  namespace: {_namespace}\n");
            if (_created is not null)
            {
                yaml.Append($"  creationTimestamp: \"{_created}\"\n");
            }

            yaml.Append($"spec:\n  parentRefs: [{string.Join(", ", _parents)}]\n");
            if (_hostnames.Count > 0)
            {
                yaml.Append($"  hostnames: [{string.Join(", ", _hostnames.Select(h => $"\"{h}\""))}]\n");
            }

            if (_rules.Count > 0)
            {
                yaml.Append("  rules:\n");
                foreach (var rule in _rules)
                {
                    yaml.Append(rule.Yaml);
                }
            }

            return yaml.ToString();
        }
    }
}
