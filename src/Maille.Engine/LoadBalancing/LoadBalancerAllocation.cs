using System.Net;

namespace Maille.Engine.LoadBalancing;

/// <summary>The outcome for one LoadBalancer Service: its address and pool, or the reason it has none.</summary>
public sealed record LoadBalancerAllocation
{
    /// <summary><c>namespace/name</c>.</summary>
    public required string Service { get; init; }

    public required LoadBalancerAllocationKind Kind { get; init; }

    public IPAddress? Address { get; init; }

    /// <summary>The pool holding <see cref="Address"/>; null when none of Maille's pools does (a kept foreign address).</summary>
    public string? Pool { get; init; }

    /// <summary>Why the Service is pending or not handled; null otherwise.</summary>
    public string? Reason { get; init; }
}
