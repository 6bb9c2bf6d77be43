namespace Maille.Kube.Fields;

/// <summary>Who writes, and when: the manager, the apiVersion it writes in, the subresource it writes through (null: the object itself).</summary>
public sealed record FieldWriter(string Manager, string ApiVersion, string? Subresource, DateTimeOffset Time);
