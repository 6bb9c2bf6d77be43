namespace Maille.Model;

/// <summary>One endpoint of a slice: its address(es), conditions, node and the pod behind it.</summary>
public sealed record Endpoint
{
    public required EquatableArray<string> Addresses { get; init; }

    public required EndpointConditions Conditions { get; init; }

    public string? NodeName { get; init; }

    public string? Hostname { get; init; }

    public string? Zone { get; init; }

    /// <summary><c>namespace/name</c> of the pod, when the endpoint is one.</summary>
    public string? TargetPod { get; init; }
}
