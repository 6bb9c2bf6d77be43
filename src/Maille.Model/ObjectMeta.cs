namespace Maille.Model;

/// <summary>The metadata every object carries. <see cref="Namespace"/> is null for cluster-scoped kinds.</summary>
public sealed record ObjectMeta
{
    // namespace/name, made once per instance: planning a lab of 10,000 Services looks objects up by it hundreds of
    // thousands of times. Setting Name or Namespace (also through `with`, which copies this field first) clears it,
    // and equality ignores it.
    private string? _qualifiedName;

    public required string Name
    {
        get;
        init
        {
            field = value;
            _qualifiedName = null;
        }
    }

    public string? Namespace
    {
        get;
        init
        {
            field = value;
            _qualifiedName = null;
        }
    }

    public Labels Labels { get; init; } = Labels.Empty;

    public Labels Annotations { get; init; } = Labels.Empty;

    /// <summary>Set when the object is being deleted; a pod with it is terminating.</summary>
    public DateTimeOffset? DeletionTimestamp { get; init; }

    public DateTimeOffset? CreationTimestamp { get; init; }

    /// <summary>
    /// <c>metadata.generation</c>: 1 when the object was created, one more each time its spec changed (a running lab
    /// stamps it; 0 when the input did not say, which is served as 1).
    /// </summary>
    public long Generation { get; init; }

    /// <summary><c>metadata.uid</c> as given (a dump of a cluster); null for objects written by hand, whose uid is derived when written.</summary>
    public string? Uid { get; init; }

    public SourceLocation Source { get; init; } = SourceLocation.None;

    public string QualifiedName => _qualifiedName ??= Namespace is null ? Name : $"{Namespace}/{Name}";

    public bool Equals(ObjectMeta? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && Name == other.Name
            && Namespace == other.Namespace
            && Labels.Equals(other.Labels)
            && Annotations.Equals(other.Annotations)
            && DeletionTimestamp == other.DeletionTimestamp
            && CreationTimestamp == other.CreationTimestamp
            && Generation == other.Generation
            && Uid == other.Uid
            && Source.Equals(other.Source));

    public override int GetHashCode() => HashCode.Combine(Name, Namespace, Labels, Annotations, DeletionTimestamp, CreationTimestamp, HashCode.Combine(Uid, Generation), Source);
}
