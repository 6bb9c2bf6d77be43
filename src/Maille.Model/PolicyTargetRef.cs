namespace Maille.Model;

/// <summary>
/// An AuthorizationPolicy's <c>targetRefs</c> entry: the object the policy attaches to, in the policy's namespace. Maille
/// models the waypoint's targets: a waypoint Gateway (<c>gateway.networking.k8s.io</c>, <c>Gateway</c>) or a core
/// Service (group <c>""</c>, <c>Service</c>).
/// </summary>
public sealed record PolicyTargetRef(string Group, string Kind, string Name)
{
    public bool IsGateway => Group == GatewayApi.Group && Kind == GatewayApi.GatewayKind;

    public bool IsService => Group == "" && Kind == "Service";

    public override string ToString() => $"{Kind} {Name}";
}
