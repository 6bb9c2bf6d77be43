namespace Maille.TestKit;

/// <summary>
/// The web application the kubectl tests drive, written once (a builder, not a pasted manifest per test class): the
/// Namespace <c>web</c>, the Deployment <c>web</c> of <see cref="Replicas"/> pods labelled <c>app=web</c>, each a
/// container <c>web</c> serving 80/TCP with the built-in server (image <c>maille/agnhost</c>), and the Service
/// <c>web</c> (port 80, named <c>http</c>) that selects them. A test states only what its case adds.
/// </summary>
internal sealed record WebApp
{
    public int Replicas { get; init; } = 2;

    /// <summary>The Deployment's <c>spec.strategy</c> as flow YAML (<c>{type: Recreate}</c>); the API's default when null.</summary>
    public string? Strategy { get; init; }

    /// <summary>More fields of the container <c>web</c>, one YAML line each (<c>env: [{name: A, value: b}]</c>).</summary>
    public IReadOnlyList<string> ContainerFields { get; init; } = [];

    /// <summary>The Namespace, Deployment and Service as one multi-document YAML text.</summary>
    public string Yaml => $$$"""
        apiVersion: v1
        kind: Namespace
        metadata: {name: web}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: web}
        spec:
          replicas: {{{Replicas}}}
        {{{(Strategy is null ? "" : $"  strategy: {Strategy}\n")}}}  selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: web
                image: maille/agnhost
                ports: [{containerPort: 80}]
        {{{string.Concat(ContainerFields.Select(f => $"        {f}\n"))}}}---
        {{{Service("web", "[{name: http, port: 80}]")}}}
        """;

    /// <summary>A Service <paramref name="name"/> in namespace web selecting the app's pods, with <paramref name="ports"/> as flow YAML.</summary>
    public static string Service(string name, string ports) => $$"""
        apiVersion: v1
        kind: Service
        metadata: {name: {{name}}, namespace: web}
        spec:
          selector: {app: web}
          ports: {{ports}}
        """;
}
