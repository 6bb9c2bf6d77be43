using Maille.Model;

namespace Maille.Engine.Gateways;

/// <summary>The ReferenceGrants of a cluster: whether an object in one namespace may refer to one in another.</summary>
internal sealed class ReferenceGrantIndex(IEnumerable<ReferenceGrant> grants)
{
    private readonly ILookup<string, ReferenceGrant> _byNamespace = grants.ToLookup(g => g.Namespace, StringComparer.Ordinal);

    /// <summary>
    /// True when the reference stays in its namespace, or a ReferenceGrant in the target's namespace lets
    /// (<paramref name="fromGroup"/>, <paramref name="fromKind"/>) in <paramref name="fromNamespace"/> refer to
    /// (<paramref name="toGroup"/>, <paramref name="toKind"/>) named <paramref name="toName"/>.
    /// </summary>
    public bool Permits(string fromGroup, string fromKind, string fromNamespace, string toGroup, string toKind, string toNamespace, string toName) =>
        fromNamespace == toNamespace
        || _byNamespace[toNamespace].Any(g =>
            g.From.Any(f => f.Group == fromGroup && f.Kind == fromKind && f.Namespace == fromNamespace)
            && g.To.Any(t => t.Group == toGroup && t.Kind == toKind && (t.Name is null || t.Name == toName)));
}
