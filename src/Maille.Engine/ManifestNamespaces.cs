using Maille.Model;

namespace Maille.Engine;

/// <summary>
/// The namespaces the lab's own components live in (<c>kube-system</c> for cluster DNS, <c>maille-system</c> for the
/// Ingress controller and the node agents), added to the input as a cluster would have them: created when missing,
/// labelled with their name as the API server labels every namespace, and left as the user wrote them otherwise.
/// </summary>
public static class ManifestNamespaces
{
    /// <summary><paramref name="manifests"/> with namespace <paramref name="name"/>, added (from <paramref name="source"/>) when missing.</summary>
    public static ManifestSet Ensure(ManifestSet manifests, string name, SourceLocation source) =>
        manifests.Namespaces.Any(n => n.Name == name)
            ? manifests
            : manifests with
            {
                Namespaces = new([.. manifests.Namespaces, new Namespace
                {
                    Meta = new ObjectMeta { Name = name, Labels = Labels.Of((Namespace.NameLabel, name)), Source = source },
                }]),
            };
}
