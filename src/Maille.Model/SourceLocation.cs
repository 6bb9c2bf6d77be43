namespace Maille.Model;

/// <summary>Where an object came from: a file (or <c>-</c> for stdin, or a generator such as a Deployment).</summary>
public sealed record SourceLocation(string File, int? Line, IFieldLineMap? Fields = null)
{
    public static SourceLocation None { get; } = new("", null);

    public int? LineOf(string fieldPath) => Fields?.LineOf(fieldPath) ?? Line;

    public override string ToString() => Line is null ? File : $"{File}:{Line}";
}
