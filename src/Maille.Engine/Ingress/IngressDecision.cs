namespace Maille.Engine.Ingresses;

/// <summary>
/// The router's answer for one request: the outcome, the HTTP status the controller answers with when it does not
/// forward (200 when it does), why, and the route that matched (null when none did). Built once per route when the
/// table is compiled, so answering a request allocates nothing.
/// </summary>
public sealed record IngressDecision(IngressOutcome Outcome, int StatusCode, string Reason, IngressRoute? Route)
{
    public static IngressDecision NoRoute { get; } = new(IngressOutcome.NotFound, 404, "no Ingress rule matches and no Ingress has a defaultBackend", null);
}
