namespace Maille.Model;

/// <summary>
/// One entry of <c>from</c>/<c>to</c>. A null selector is absent (different from an empty one):
/// pod selector only = pods of the policy's namespace; namespace selector only = every pod of matching namespaces;
/// both = AND; ipBlock alone.
/// </summary>
public sealed record NetworkPolicyPeer
{
    public LabelSelector? PodSelector { get; init; }

    public LabelSelector? NamespaceSelector { get; init; }

    public IpBlock? IpBlock { get; init; }
}
