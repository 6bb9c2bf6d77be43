namespace Maille.Model;

/// <summary>A readiness probe: its kind, the port it targets (by number or name), and for HTTP the path.</summary>
public sealed record Probe
{
    public required ProbeKind Kind { get; init; }

    public PortRef? Port { get; init; }

    public string? Path { get; init; }

    public EquatableArray<string> Command { get; init; } = EquatableArray<string>.Empty;

    public int InitialDelaySeconds { get; init; }

    public int PeriodSeconds { get; init; } = 10;

    public int FailureThreshold { get; init; } = 3;
}
