namespace Maille.Engine.Gateways;

/// <summary>
/// How <see cref="IngressConversion"/> names what it writes. <see cref="GatewayClassName"/> set: the Gateways use
/// that existing class and no GatewayClass is written. <see cref="GatewayName"/> set: every Ingress goes behind that
/// one Gateway (in <see cref="GatewayNamespace"/>) instead of one Gateway per IngressClass.
/// </summary>
public sealed record IngressConversionOptions
{
    /// <summary>The class written when none is given; its controller is <see cref="Model.GatewayApi.ControllerName"/>.</summary>
    public const string DefaultGatewayClassName = "maille";

    public string? GatewayClassName { get; init; }

    public string? GatewayNamespace { get; init; }

    public string? GatewayName { get; init; }
}
