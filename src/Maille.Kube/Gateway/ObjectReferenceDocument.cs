using YamlDotNet.Serialization;

namespace Maille.Kube.Gateway;

/// <summary>
/// A reference to another object by group, kind, name and optional namespace, as written: a Gateway listener's
/// <c>certificateRefs</c> entry, and an Istio AuthorizationPolicy's <c>targetRefs</c> entry (Istio's
/// <c>PolicyTargetReference</c> has the same four fields).
/// </summary>
internal sealed class ObjectReferenceDocument
{
    [YamlMember(Alias = "group")]
    public string? Group { get; set; }

    [YamlMember(Alias = "kind")]
    public string? Kind { get; set; }

    [YamlMember(Alias = "name")]
    public string? Name { get; set; }

    [YamlMember(Alias = "namespace")]
    public string? Namespace { get; set; }
}
