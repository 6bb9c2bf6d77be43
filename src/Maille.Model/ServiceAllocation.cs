namespace Maille.Model;

/// <summary>
/// An <c>IPAddressPool</c>'s <c>spec.serviceAllocation</c>: which Services the pool serves and before which other
/// pools. A Service matches when its namespace is listed (or selected), if any namespaces are given, and one service
/// selector matches its labels, if any are given.
/// </summary>
public sealed record ServiceAllocation
{
    /// <summary>Lower first; 0 (unset) after every pool that has a priority.</summary>
    public int Priority { get; init; }

    public EquatableArray<string> Namespaces { get; init; } = EquatableArray<string>.Empty;

    public EquatableArray<LabelSelector> NamespaceSelectors { get; init; } = EquatableArray<LabelSelector>.Empty;

    public EquatableArray<LabelSelector> ServiceSelectors { get; init; } = EquatableArray<LabelSelector>.Empty;

    public bool RestrictsNamespaces => !Namespaces.IsEmpty || !NamespaceSelectors.IsEmpty;
}
