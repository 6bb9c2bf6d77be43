namespace Maille.Model;

/// <summary>A Gateway (gateway.networking.k8s.io/v1): its class and its listeners.</summary>
public sealed record Gateway
{
    public required ObjectMeta Meta { get; init; }

    public string GatewayClassName { get; init; } = "";

    public EquatableArray<GatewayListener> Listeners { get; init; } = EquatableArray<GatewayListener>.Empty;

    /// <summary><c>spec.addresses</c> values as requested (Maille assigns from the LoadBalancer pools and reports a request it cannot honour).</summary>
    public EquatableArray<string> RequestedAddresses { get; init; } = EquatableArray<string>.Empty;

    public string Namespace => Meta.Namespace!;
}
