using YamlDotNet.Serialization;

namespace Maille.Kube.Gateway;

/// <summary>The parts HTTPRoute and GRPCRoute documents share: parentRefs, backendRefs, header matches and filters.</summary>
internal static class RouteDocumentParts
{
    /// <summary>A route's spec: parentRefs, hostnames and the kind's rules.</summary>
    internal sealed class RouteSpec<TRule>
    {
        [YamlMember(Alias = "parentRefs")]
        public List<ParentRef?>? ParentRefs { get; set; }

        [YamlMember(Alias = "hostnames")]
        public List<string?>? Hostnames { get; set; }

        [YamlMember(Alias = "rules")]
        public List<TRule?>? Rules { get; set; }
    }

    internal sealed class ParentRef
    {
        [YamlMember(Alias = "group")]
        public string? Group { get; set; }

        [YamlMember(Alias = "kind")]
        public string? Kind { get; set; }

        [YamlMember(Alias = "namespace")]
        public string? Namespace { get; set; }

        [YamlMember(Alias = "name")]
        public string? Name { get; set; }

        [YamlMember(Alias = "sectionName")]
        public string? SectionName { get; set; }

        [YamlMember(Alias = "port")]
        public int? Port { get; set; }
    }

    internal sealed class BackendRef
    {
        [YamlMember(Alias = "group")]
        public string? Group { get; set; }

        [YamlMember(Alias = "kind")]
        public string? Kind { get; set; }

        [YamlMember(Alias = "namespace")]
        public string? Namespace { get; set; }

        [YamlMember(Alias = "name")]
        public string? Name { get; set; }

        [YamlMember(Alias = "port")]
        public int? Port { get; set; }

        [YamlMember(Alias = "weight")]
        public int? Weight { get; set; }

        [YamlMember(Alias = "filters")]
        public List<Filter?>? Filters { get; set; }
    }

    internal sealed class ValueMatch
    {
        [YamlMember(Alias = "type")]
        public string? Type { get; set; }

        [YamlMember(Alias = "name")]
        public string? Name { get; set; }

        [YamlMember(Alias = "value")]
        public string? Value { get; set; }
    }

    internal sealed class Filter
    {
        [YamlMember(Alias = "type")]
        public string? Type { get; set; }

        [YamlMember(Alias = "requestHeaderModifier")]
        public HeaderModifier? RequestHeaderModifier { get; set; }

        [YamlMember(Alias = "responseHeaderModifier")]
        public HeaderModifier? ResponseHeaderModifier { get; set; }

        [YamlMember(Alias = "requestRedirect")]
        public Redirect? RequestRedirect { get; set; }

        [YamlMember(Alias = "urlRewrite")]
        public Rewrite? UrlRewrite { get; set; }

        [YamlMember(Alias = "requestMirror")]
        public Mirror? RequestMirror { get; set; }

        [YamlMember(Alias = "extensionRef")]
        public Dictionary<string, object>? ExtensionRef { get; set; }

        [YamlMember(Alias = "cors")]
        public Dictionary<string, object>? Cors { get; set; }
    }

    internal sealed class HeaderModifier
    {
        [YamlMember(Alias = "set")]
        public List<ValueMatch?>? Set { get; set; }

        [YamlMember(Alias = "add")]
        public List<ValueMatch?>? Add { get; set; }

        [YamlMember(Alias = "remove")]
        public List<string?>? Remove { get; set; }
    }

    internal sealed class Redirect
    {
        [YamlMember(Alias = "scheme")]
        public string? Scheme { get; set; }

        [YamlMember(Alias = "hostname")]
        public string? Hostname { get; set; }

        [YamlMember(Alias = "path")]
        public PathModifier? Path { get; set; }

        [YamlMember(Alias = "port")]
        public int? Port { get; set; }

        [YamlMember(Alias = "statusCode")]
        public int? StatusCode { get; set; }
    }

    internal sealed class Rewrite
    {
        [YamlMember(Alias = "hostname")]
        public string? Hostname { get; set; }

        [YamlMember(Alias = "path")]
        public PathModifier? Path { get; set; }
    }

    internal sealed class PathModifier
    {
        [YamlMember(Alias = "type")]
        public string? Type { get; set; }

        [YamlMember(Alias = "replaceFullPath")]
        public string? ReplaceFullPath { get; set; }

        [YamlMember(Alias = "replacePrefixMatch")]
        public string? ReplacePrefixMatch { get; set; }
    }

    internal sealed class Mirror
    {
        [YamlMember(Alias = "backendRef")]
        public BackendRef? BackendRef { get; set; }

        [YamlMember(Alias = "percent")]
        public int? Percent { get; set; }

        [YamlMember(Alias = "fraction")]
        public Fraction? Fraction { get; set; }
    }

    internal sealed class Fraction
    {
        [YamlMember(Alias = "numerator")]
        public int? Numerator { get; set; }

        [YamlMember(Alias = "denominator")]
        public int? Denominator { get; set; }
    }
}
