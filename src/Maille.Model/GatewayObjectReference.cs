namespace Maille.Model;

/// <summary>A reference by group, kind, name and optional namespace (a listener's certificateRef: Secret in core by default).</summary>
public sealed record GatewayObjectReference(string Group, string Kind, string Name, string? Namespace);
