namespace Maille.Engine.Ingresses;

/// <summary>What the controller does with a request, each with the HTTP status it answers when it does not forward.</summary>
public enum IngressOutcome
{
    /// <summary>Forwarded to a ready endpoint of the backend Service.</summary>
    Routed,

    /// <summary>404: no rule matches and there is no default backend.</summary>
    NotFound,

    /// <summary>503: the backend Service is missing, lacks the port, is an ExternalName, or has no ready endpoint.</summary>
    NoEndpoints,

    /// <summary>500: a resource backend, which Maille refuses (only Service backends are proxied).</summary>
    Unsupported,
}
