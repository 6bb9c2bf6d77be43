namespace Maille.Model;

/// <summary>A route's <c>parentRefs</c> entry: a Gateway by default, its namespace defaulting to the route's.</summary>
public sealed record GatewayParentRef
{
    public string Group { get; init; } = GatewayApi.Group;

    public string Kind { get; init; } = GatewayApi.GatewayKind;

    public string? Namespace { get; init; }

    public required string Name { get; init; }

    public string? SectionName { get; init; }

    public int? Port { get; init; }
}
