using System.Collections.Immutable;
using Maille.Model;

namespace Maille.Engine.Ingresses;

/// <summary>A backend resolved against the cluster: what a request for it gets, and what it is forwarded to.</summary>
public sealed record IngressBackendResolution(
    IngressOutcome Outcome,
    int StatusCode,
    string Reason,
    Service? Service,
    ServicePort? Port,
    ImmutableArray<IngressEndpoint> Endpoints,
    BackendProtocol Protocol);
