using Maille.Model;

namespace Maille.Engine.Ingresses;

/// <summary>
/// The order in which Ingresses win a tie (the same host and path, the same TLS host, the default backend): the
/// oldest <c>creationTimestamp</c> first, as ingress-nginx and the Gateway API do; objects without one (manifests
/// not yet applied) after those with one; then <c>namespace/name</c> in ordinal order. Total and independent of input
/// order, so every run and every proxy replica decides alike.
/// </summary>
internal sealed class IngressPrecedence : IComparer<Ingress>
{
    public static IngressPrecedence Instance { get; } = new();

    public int Compare(Ingress? x, Ingress? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        var (a, b) = (x.Meta.CreationTimestamp, y.Meta.CreationTimestamp);
        if (a != b)
        {
            if (a is null || b is null)
            {
                return a is null ? 1 : -1;
            }

            return a.Value.CompareTo(b.Value);
        }

        return string.CompareOrdinal(x.Meta.QualifiedName, y.Meta.QualifiedName);
    }
}
