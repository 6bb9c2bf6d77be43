namespace Maille.Model;

/// <summary>A GatewayClass (gateway.networking.k8s.io/v1): the controller that implements the Gateways of this class.</summary>
public sealed record GatewayClass
{
    public required ObjectMeta Meta { get; init; }

    public string ControllerName { get; init; } = "";

    public string? Description { get; init; }

    public string Name => Meta.Name;
}
