namespace Maille.Model;

/// <summary>A ReferenceGrant's <c>from</c> entry: referring objects of this group and kind in this namespace.</summary>
public sealed record ReferenceGrantFrom(string Group, string Kind, string Namespace);
