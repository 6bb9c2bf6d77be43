namespace Maille.Model;

/// <summary>Pods chosen by a namespace selector AND a pod selector (an empty selector selects everything).</summary>
public sealed record NamespacedPodSelector(LabelSelector NamespaceSelector, LabelSelector PodSelector)
{
    public bool Matches(Labels namespaceLabels, Labels podLabels) =>
        NamespaceSelector.Matches(namespaceLabels) && PodSelector.Matches(podLabels);
}
