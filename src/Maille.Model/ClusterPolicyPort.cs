namespace Maille.Model;

/// <summary>
/// One entry of a ClusterNetworkPolicy rule's <c>protocols</c>: a protocol with a destination port or an inclusive
/// range (<see cref="NamedPort"/> null), or a named containerPort of the destination pod, of whatever protocol that
/// port declares (<see cref="Protocol"/> null).
/// </summary>
public sealed record ClusterPolicyPort(Protocol? Protocol, int First, int Last, string? NamedPort)
{
    public static ClusterPolicyPort Number(Protocol protocol, int port) => new(protocol, port, port, null);

    public static ClusterPolicyPort Range(Protocol protocol, int first, int last) => new(protocol, first, last, null);

    public static ClusterPolicyPort Named(string name) => new(null, 0, 0, name);

    public override string ToString() => NamedPort is { } name
        ? $"named port {name}"
        : First == Last ? $"{First}/{Protocol}" : $"{First}-{Last}/{Protocol}";
}
