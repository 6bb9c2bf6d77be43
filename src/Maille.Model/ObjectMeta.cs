namespace Maille.Model;

/// <summary>The metadata every object carries. <see cref="Namespace"/> is null for cluster-scoped kinds.</summary>
internal sealed record ObjectMeta
{
    public required string Name { get; init; }

    public string? Namespace { get; init; }

    public Labels Labels { get; init; } = Labels.Empty;

    public Labels Annotations { get; init; } = Labels.Empty;

    /// <summary>Set when the object is being deleted; a pod with it is terminating.</summary>
    public DateTimeOffset? DeletionTimestamp { get; init; }

    public DateTimeOffset? CreationTimestamp { get; init; }

    public SourceLocation Source { get; init; } = SourceLocation.None;

    public string QualifiedName => Namespace is null ? Name : $"{Namespace}/{Name}";
}
