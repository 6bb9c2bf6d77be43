namespace Maille.Model;

/// <summary>Names one object the way error messages and traces do: <c>Service shop/web</c>.</summary>
public sealed record ObjectRef(string Kind, string? Namespace, string Name)
{
    public string QualifiedName => Namespace is null ? Name : $"{Namespace}/{Name}";

    public override string ToString() => $"{Kind} {QualifiedName}";
}
