using System.Net;

namespace Maille.Dataplane.Linux.Lab;

/// <summary>A pod: a stable key (e.g. <c>namespace/name</c>), the node it runs on, and its IP.</summary>
public sealed record LabPod
{
    public required string Key { get; init; }

    public required string Node { get; init; }

    public required IPAddress Address { get; init; }
}
