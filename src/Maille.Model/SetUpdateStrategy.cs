namespace Maille.Model;

/// <summary>
/// A StatefulSet's or DaemonSet's <c>spec.updateStrategy</c>: <c>RollingUpdate</c> (the default) or <c>OnDelete</c>.
/// <see cref="Partition"/> is a StatefulSet's (ordinals below it keep their revision); <see cref="MaxUnavailable"/> and
/// <see cref="MaxSurge"/> keep the IntOrString as written, with the API's defaults (1 unavailable, no surge).
/// </summary>
public sealed record SetUpdateStrategy
{
    public const string RollingUpdate = "RollingUpdate";

    public const string OnDelete = "OnDelete";

    public static SetUpdateStrategy Default { get; } = new();

    public string Type { get; init; } = RollingUpdate;

    public int Partition { get; init; }

    public string MaxUnavailable { get; init; } = "1";

    public string MaxSurge { get; init; } = "0";

    public bool IsRollingUpdate => Type != OnDelete;
}
