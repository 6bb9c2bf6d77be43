namespace Maille.Model;

/// <summary>An object of a kind Maille does not model; reported, never fatal.</summary>
public sealed record SkippedObject(string ApiVersion, string Kind, string? Namespace, string? Name, SourceLocation Source);
