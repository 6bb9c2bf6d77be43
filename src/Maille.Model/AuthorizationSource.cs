namespace Maille.Model;

/// <summary>
/// <c>from[].source</c>: every field written must match (an absent one matches anything). Principals and namespaces are
/// Istio's string matches (exact, <c>prefix*</c>, <c>*suffix</c>, or <c>*</c> for any); ipBlocks are addresses or CIDRs.
/// </summary>
public sealed record AuthorizationSource
{
    public EquatableArray<string> Principals { get; init; } = EquatableArray<string>.Empty;

    public EquatableArray<string> NotPrincipals { get; init; } = EquatableArray<string>.Empty;

    public EquatableArray<string> Namespaces { get; init; } = EquatableArray<string>.Empty;

    public EquatableArray<string> NotNamespaces { get; init; } = EquatableArray<string>.Empty;

    public EquatableArray<string> IpBlocks { get; init; } = EquatableArray<string>.Empty;

    public EquatableArray<string> NotIpBlocks { get; init; } = EquatableArray<string>.Empty;
}
