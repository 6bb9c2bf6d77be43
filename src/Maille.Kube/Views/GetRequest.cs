namespace Maille.Kube.Views;

/// <summary>What <c>maille get</c> asks for: a kind, one object or all of a namespace (or of every namespace), and a format.</summary>
/// <param name="Output">"" (a table), <c>wide</c>, <c>json</c> or <c>yaml</c>.</param>
public sealed record GetRequest(ResourceKind Resource, string? Name, string Namespace, bool AllNamespaces, string Output)
{
    /// <summary>
    /// Asked of a running lab, whose node agents programmed the cluster: objects get the status only programming gives
    /// (a ClusterNetworkPolicy's <c>status.conditions</c>).
    /// </summary>
    public bool Programmed { get; init; }

    /// <summary>
    /// Asked of a running lab: its pods' container restarts (by pod, namespace/name), for the RESTARTS column. Manifests
    /// read from files have none.
    /// </summary>
    public IReadOnlyDictionary<string, ContainerRestarts>? Restarts { get; init; }
}
