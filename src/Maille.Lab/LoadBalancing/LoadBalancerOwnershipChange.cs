using System.Net;
using Maille.Model;

namespace Maille.Lab.LoadBalancing;

/// <summary>
/// A LoadBalancer address changed hands: announced for the first time (<see cref="From"/> null), moved, or withdrawn
/// (<see cref="To"/> null, with the <see cref="Reason"/> nobody announces it now).
/// </summary>
internal sealed record LoadBalancerOwnershipChange(IPAddress Address, EquatableArray<string> Services, string? From, string? To, string Reason)
{
    public override string ToString() =>
        $"{Address} ({string.Join(", ", Services)}): {From ?? "-"} -> {To ?? "-"} ({Reason})";
}
