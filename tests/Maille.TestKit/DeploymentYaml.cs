namespace Maille.TestKit;

/// <summary>
/// A Deployment written in one call: <c>replicas</c> pods in a namespace, labelled with one <c>key=value</c> (also the
/// selector), one container <c>c</c> with the given ports (flow YAML, <c>[{containerPort: 80}]</c>). For tests that need
/// pods alike (a Deployment's replicas) without pasting a manifest.
/// </summary>
internal static class DeploymentYaml
{
    public static string Of(string name, string ns, int replicas, string label, string ports)
    {
        var (key, value) = (label[..label.IndexOf('=', StringComparison.Ordinal)], label[(label.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        return $$$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: {{{name}}}, namespace: {{{ns}}}}
            spec:
              replicas: {{{replicas}}}
              selector: {matchLabels: {{{{key}}}: {{{value}}}}}
              template:
                metadata: {labels: {{{{key}}}: {{{value}}}}}
                spec: {containers: [{name: c, ports: {{{ports}}}}]}
            """;
    }
}
