namespace Maille.Model;

/// <summary>An IngressClass: the controller that implements it, and whether it is the cluster default.</summary>
public sealed record IngressClass
{
    public const string DefaultAnnotation = "ingressclass.kubernetes.io/is-default-class";

    public required ObjectMeta Meta { get; init; }

    public string? Controller { get; init; }

    public IngressClassParameters? Parameters { get; init; }

    public bool IsDefault => Meta.Annotations.Get(DefaultAnnotation) == "true";

    public string Name => Meta.Name;
}
