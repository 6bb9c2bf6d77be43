namespace Maille.Model;

/// <summary>
/// An Istio PeerAuthentication (<c>security.istio.io/v1</c>): the mTLS mode a workload's inbound traffic needs. In the
/// root namespace without a selector it is mesh-wide, elsewhere without a selector namespace-wide, with a selector it
/// is workload-specific (and may set modes per port).
/// </summary>
public sealed record PeerAuthentication
{
    public required ObjectMeta Meta { get; init; }

    /// <summary><c>spec.selector.matchLabels</c>; null when absent or empty.</summary>
    public Labels? Selector { get; init; }

    public MtlsMode Mode { get; init; } = MtlsMode.Unset;

    /// <summary><c>spec.portLevelMtls</c>, by port number (the workload's container port).</summary>
    public EquatableArray<PortMtls> PortLevel { get; init; } = EquatableArray<PortMtls>.Empty;

    public string Name => Meta.Name;

    public string Namespace => Meta.Namespace!;

    public string QualifiedName => Meta.QualifiedName;
}
