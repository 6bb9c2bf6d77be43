using System.Text.Json.Nodes;
using Maille.Kube.Gateway;
using Maille.Kube.MetalLb;
using Maille.Kube.Policy;

namespace Maille.Kube;

/// <summary>
/// The CRD schemas of the custom resources Maille takes, as their projects ship them: MetalLB's, the Gateway API's and
/// network-policy-api's (embedded unchanged). What the lab's OpenAPI documents serve and what its strict field
/// validation judges a custom resource by.
/// </summary>
public static class CustomResourceSchemas
{
    /// <summary>The <c>openAPIV3Schema</c> of <paramref name="kind"/> at <paramref name="version"/> (a copy), or null when no embedded CRD defines it.</summary>
    public static JsonObject? Of(string kind, string version) => Shared(kind, version)?.DeepClone().AsObject();

    /// <summary>The same schema, not copied: for reading only (<see cref="Schema.UnknownFields"/> walks it on every write).</summary>
    internal static JsonObject? Shared(string kind, string version) =>
        MetalLbCrds.Crds.SharedSchema(kind, version)
        ?? GatewayApiCrds.Crds.SharedSchema(kind, version)
        ?? NetworkPolicyApiCrds.Crds.SharedSchema(kind, version);
}
