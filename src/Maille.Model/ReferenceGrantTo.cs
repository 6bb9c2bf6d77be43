namespace Maille.Model;

/// <summary>A ReferenceGrant's <c>to</c> entry: objects of this group and kind, only the one named when <see cref="Name"/> is set.</summary>
public sealed record ReferenceGrantTo(string Group, string Kind, string? Name);
