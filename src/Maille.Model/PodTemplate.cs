namespace Maille.Model;

/// <summary>A workload's pod template: labels, annotations and spec.</summary>
public sealed record PodTemplate
{
    public Labels Labels { get; init; } = Labels.Empty;

    public Labels Annotations { get; init; } = Labels.Empty;

    public required PodSpec Spec { get; init; }
}
