namespace Maille.Kube.MetalLb;

/// <summary>
/// MetalLB's CustomResourceDefinitions for the kinds the lab takes (IPAddressPool, L2Advertisement), embedded as
/// MetalLB ships them (<c>MetalLb/Crds/</c>): the <c>v1beta1</c> schema the API server would serve for each, and the
/// columns its tables have.
/// </summary>
public static class MetalLbCrds
{
    public const string Version = "v1beta1";

    public static EmbeddedCrds Crds { get; } = new("metallb");

    /// <summary>
    /// The columns the API server prints for <paramref name="kind"/>: NAME, then the CRD's
    /// <c>additionalPrinterColumns</c> (name, and whether only <c>-o wide</c> shows it: priority above 0).
    /// </summary>
    public static IReadOnlyList<(string Name, bool Wide)> Columns(string kind) => Crds.Columns(kind, Version);
}
