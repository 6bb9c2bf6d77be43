namespace Maille.Model;

/// <summary>
/// The pods a ClusterNetworkPolicy applies to: every pod of the namespaces <see cref="Namespaces"/> selects, or the
/// pods <see cref="Pods"/> selects. Exactly one is set in valid input; hostNetwork pods are never subjects.
/// </summary>
public sealed record ClusterPolicySubject
{
    public LabelSelector? Namespaces { get; init; }

    public NamespacedPodSelector? Pods { get; init; }

    /// <summary>Whether a (non-hostNetwork) pod with these labels, in a namespace with these labels, is a subject.</summary>
    public bool Matches(Labels namespaceLabels, Labels podLabels) =>
        Namespaces?.Matches(namespaceLabels) ?? Pods?.Matches(namespaceLabels, podLabels) ?? false;
}
