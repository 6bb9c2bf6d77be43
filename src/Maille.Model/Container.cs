namespace Maille.Model;

/// <summary>A container: its ports, the program it runs (if any) and its readiness probe.</summary>
public sealed record Container
{
    public required string Name { get; init; }

    public string? Image { get; init; }

    public EquatableArray<string> Command { get; init; } = EquatableArray<string>.Empty;

    public EquatableArray<string> Args { get; init; } = EquatableArray<string>.Empty;

    public EquatableArray<ContainerPort> Ports { get; init; } = EquatableArray<ContainerPort>.Empty;

    public Probe? ReadinessProbe { get; init; }
}
