namespace Maille.Model;

/// <summary>A ReferenceGrant (gateway.networking.k8s.io/v1beta1): lets objects of <see cref="From"/> refer to objects of <see cref="To"/> in its namespace.</summary>
public sealed record ReferenceGrant
{
    public required ObjectMeta Meta { get; init; }

    public EquatableArray<ReferenceGrantFrom> From { get; init; } = EquatableArray<ReferenceGrantFrom>.Empty;

    public EquatableArray<ReferenceGrantTo> To { get; init; } = EquatableArray<ReferenceGrantTo>.Empty;

    public string Namespace => Meta.Namespace!;
}
