using System.Net;
using Maille.Model;

namespace Maille.Engine.Services;

/// <summary>
/// One endpoint of one Service port as kube-proxy reads it from the EndpointSlices: the endpoint's first address, the
/// port its slice resolved for the Service port (a named targetPort can differ per pod), its node, the pod it
/// targets, and its conditions.
/// </summary>
internal sealed record ServiceEndpoint(IPAddress Address, int Port, string? NodeName, string? Pod, EndpointConditions Conditions)
{
    public bool Ready => Conditions.Ready;

    /// <summary>Serving while terminating: used only when no endpoint of the same category is ready (KEP-1669).</summary>
    public bool ServingTerminating => Conditions.Serving && Conditions.Terminating;
}
