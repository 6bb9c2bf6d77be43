namespace Maille.Kube.Policy;

/// <summary>
/// network-policy-api's own CustomResourceDefinitions (experimental channel): ClusterNetworkPolicy v1alpha2 from
/// <see cref="Release"/>, and the v1alpha1 AdminNetworkPolicy and BaselineAdminNetworkPolicy from
/// <see cref="V1Alpha1Release"/>, the last release that had them; embedded unchanged from <c>Policy/Crds/</c>, so the
/// lab's OpenAPI documents serve their schemas to <c>kubectl explain</c> and kubectl's client-side validation.
/// </summary>
public static class NetworkPolicyApiCrds
{
    public const string Release = "v0.2.0";

    public const string V1Alpha1Release = "v0.1.8";

    public static EmbeddedCrds Crds { get; } = new("network-policy-api");
}
