namespace Maille.Kube.Gateway;

/// <summary>
/// The Gateway API's own CustomResourceDefinitions (standard channel, <see cref="Release"/>) for the kinds Maille takes
/// (GatewayClass, Gateway, HTTPRoute, GRPCRoute, ReferenceGrant), embedded unchanged from <c>Gateway/Crds/</c>: the
/// lab's OpenAPI documents serve their schemas, so <c>kubectl explain</c> and kubectl's client-side validation read them.
/// </summary>
public static class GatewayApiCrds
{
    public const string Release = "v1.6.1";

    public static EmbeddedCrds Crds { get; } = new("gateway-api");
}
