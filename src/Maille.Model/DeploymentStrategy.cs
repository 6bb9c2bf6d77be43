namespace Maille.Model;

/// <summary>
/// A Deployment's <c>spec.strategy</c>: <c>RollingUpdate</c> (the default) or <c>Recreate</c>. <see cref="MaxSurge"/> and
/// <see cref="MaxUnavailable"/> keep the IntOrString as written (<c>1</c> or <c>25%</c>); the engine resolves them
/// against the replica count as the API does (surge rounded up, unavailable down).
/// </summary>
public sealed record DeploymentStrategy
{
    public const string RollingUpdate = "RollingUpdate";

    public const string Recreate = "Recreate";

    public static DeploymentStrategy Default { get; } = new();

    public string Type { get; init; } = RollingUpdate;

    public string MaxSurge { get; init; } = "25%";

    public string MaxUnavailable { get; init; } = "25%";

    public bool IsRollingUpdate => Type != Recreate;
}
