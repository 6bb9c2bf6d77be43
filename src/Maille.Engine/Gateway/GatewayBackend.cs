namespace Maille.Engine.Gateways;

/// <summary>
/// A resolved backendRef: the Service and port, its weight, and what a request sent to it gets: 200 when it has a ready
/// endpoint, 503 when none is ready, 500 when the reference is invalid (not found, wrong kind, not permitted).
/// </summary>
public sealed record GatewayBackend(string Service, int Port, int Weight, int Status, string Reason, int ReadyEndpoints)
{
    /// <summary>The route condition reason when the reference does not resolve (null when it does).</summary>
    public string? RefProblem { get; init; }
}
