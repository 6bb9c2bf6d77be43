namespace Maille.Model;

/// <summary>
/// An EndpointSlice. Generated ones are named <c>{service}-{hash}</c> and carry the <c>kubernetes.io/service-name</c>
/// label; given ones (for selector-less Services) are taken as they are.
/// </summary>
public sealed record EndpointSlice
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    public const string ManagedByLabel = "endpointslice.kubernetes.io/managed-by";

    public const int MaxEndpointsPerSlice = 100;

    public required ObjectMeta Meta { get; init; }

    public string AddressType { get; init; } = "IPv4";

    public EquatableArray<EndpointPort> Ports { get; init; } = EquatableArray<EndpointPort>.Empty;

    public EquatableArray<Endpoint> Endpoints { get; init; } = EquatableArray<Endpoint>.Empty;

    /// <summary>True when the slice came from the input rather than from the engine.</summary>
    public bool UserProvided { get; init; }

    public string? ServiceName => Meta.Labels.Get(ServiceNameLabel);

    public string Namespace => Meta.Namespace!;
}
