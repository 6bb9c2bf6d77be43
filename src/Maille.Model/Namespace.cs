namespace Maille.Model;

/// <summary>A Kubernetes Namespace. Its labels always include <c>kubernetes.io/metadata.name</c>.</summary>
public sealed record Namespace
{
    public const string NameLabel = "kubernetes.io/metadata.name";

    public required ObjectMeta Meta { get; init; }

    /// <summary>True when no manifest declared it and Maille created it (with a warning).</summary>
    public bool Implicit { get; init; }

    public string Name => Meta.Name;
}
