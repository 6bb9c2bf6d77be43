namespace Maille.TestKit;

/// <summary>
/// A NetworkPolicy written by a test in a few words instead of pasted YAML: a name and namespace, the pods it selects
/// (<c>pod=b</c>, or every pod), and its ingress rules, each admitting pods with one label (of any namespace, or of
/// the policy's own) on one port. No rule and <see cref="DenyIngress"/> make a default deny. For the playground's
/// vocabulary (namespaces x, y, z labelled ns=NAME; pods labelled pod=a|b|c).
/// </summary>
internal sealed record PolicyYaml(string Name, string Namespace)
{
    /// <summary>The pods selected, as <c>key=value</c>; null selects every pod of the namespace.</summary>
    public string? Selecting { get; init; }

    /// <summary>Ingress rules: peers (<c>pod=a</c>, or <c>ns=x</c> for a namespace) and a port (<c>80</c>, <c>81/UDP</c>, <c>serve-80-tcp</c>).</summary>
    public IReadOnlyList<(string Peer, string Port)> Ingress { get; init; } = [];

    /// <summary>A namespace's default deny of ingress: every pod selected, no rule.</summary>
    public static PolicyYaml DenyIngress(string ns) => new("default-deny-ingress", ns);

    /// <summary>A policy on the pods labelled <paramref name="selecting"/> admitting <paramref name="peer"/> on <paramref name="port"/>.</summary>
    public static PolicyYaml Allow(string name, string ns, string selecting, string peer, string port) =>
        new(name, ns) { Selecting = selecting, Ingress = [(peer, port)] };

    public string Yaml => $$"""
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: {{Name}}, namespace: {{Namespace}}}
        spec:
          podSelector: {{Selector(Selecting)}}
          policyTypes: [Ingress]
          ingress: [{{string.Join(", ", Ingress.Select(Rule))}}]
        """;

    private static string Selector(string? label) => label is null ? "{}" : $"{{matchLabels: {{{label.Replace("=", ": ", StringComparison.Ordinal)}}}}}";

    private static string Rule((string Peer, string Port) rule)
    {
        var peer = rule.Peer.StartsWith("ns=", StringComparison.Ordinal)
            ? $"{{namespaceSelector: {Selector(rule.Peer)}}}"
            : $"{{podSelector: {Selector(rule.Peer)}}}";
        var parts = rule.Port.Split('/');
        var protocol = parts.Length > 1 ? parts[1] : "TCP";
        return $"{{from: [{peer}], ports: [{{port: {parts[0]}, protocol: {protocol}}}]}}";
    }
}
