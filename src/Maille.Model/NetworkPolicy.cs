namespace Maille.Model;

/// <summary>A NetworkPolicy with its effective policyTypes already defaulted (see the model README).</summary>
public sealed record NetworkPolicy
{
    public required ObjectMeta Meta { get; init; }

    public LabelSelector PodSelector { get; init; } = LabelSelector.Everything;

    /// <summary>The <c>policyTypes</c> the input wrote, or null when it omitted the field.</summary>
    public PolicyDirection? DeclaredPolicyTypes { get; init; }

    public EquatableArray<NetworkPolicyRule> Ingress { get; init; } = EquatableArray<NetworkPolicyRule>.Empty;

    public EquatableArray<NetworkPolicyRule> Egress { get; init; } = EquatableArray<NetworkPolicyRule>.Empty;

    /// <summary>
    /// Kubernetes' defaulting: omitted policyTypes means Ingress, plus Egress when at least one egress rule is written.
    /// </summary>
    public PolicyDirection EffectivePolicyTypes =>
        DeclaredPolicyTypes ?? (PolicyDirection.Ingress | (Egress.IsEmpty ? PolicyDirection.None : PolicyDirection.Egress));

    public string Namespace => Meta.Namespace!;

    public string QualifiedName => Meta.QualifiedName;
}
