namespace Maille.Model;

/// <summary>A path change: ReplaceFullPath with <see cref="ReplaceFullPath"/>, or ReplacePrefixMatch with <see cref="ReplacePrefixMatch"/>.</summary>
public sealed record HttpPathModifier(string Type, string? ReplaceFullPath, string? ReplacePrefixMatch);
