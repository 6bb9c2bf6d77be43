using Maille.Model;

namespace Maille.Engine.Gateways;

/// <summary>
/// The Gateway API objects that route as the Ingresses did, and the warnings for what they cannot express.
/// <see cref="GatewayClass"/> is null when an existing class was named.
/// </summary>
public sealed record IngressConversionResult(
    GatewayClass? GatewayClass,
    IReadOnlyList<Gateway> Gateways,
    IReadOnlyList<ReferenceGrant> ReferenceGrants,
    IReadOnlyList<HttpRoute> HttpRoutes,
    IReadOnlyList<IngressConversionWarning> Warnings)
{
    /// <summary>Every request is routed as the Ingresses routed it (no warning).</summary>
    public bool IsExact => Warnings.Count == 0;
}
