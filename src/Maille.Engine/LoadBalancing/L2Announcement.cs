using System.Net;
using Maille.Model;

namespace Maille.Engine.LoadBalancing;

/// <summary>
/// Who answers ARP for one LoadBalancer address: <see cref="Node"/>, chosen among <see cref="EligibleNodes"/>; or
/// nobody, with the <see cref="Reason"/>.
/// </summary>
public sealed record L2Announcement
{
    public required IPAddress Address { get; init; }

    /// <summary>The Services on the address (several when shared), <c>namespace/name</c>, ordered.</summary>
    public required EquatableArray<string> Services { get; init; }

    public string? Pool { get; init; }

    /// <summary>The announcing node; null when the address is not announced.</summary>
    public string? Node { get; init; }

    /// <summary>Nodes that could announce it, in election order (the winner first).</summary>
    public EquatableArray<string> EligibleNodes { get; init; } = EquatableArray<string>.Empty;

    /// <summary>Why nobody announces the address; null when a node does.</summary>
    public string? Reason { get; init; }
}
