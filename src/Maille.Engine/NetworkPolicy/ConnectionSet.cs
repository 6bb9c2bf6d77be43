using System.Collections.Immutable;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// Everything one endpoint may open to another: per protocol, sorted disjoint port ranges. Printed the way
/// netpol-analyzer prints it: <c>All Connections</c>, <c>No Connections</c> or <c>TCP 1-8079,8081-65535; UDP 53</c>.
/// </summary>
public sealed record ConnectionSet(ImmutableSortedDictionary<Protocol, ImmutableArray<PortRange>> Ranges)
{
    public bool IsAll => Enum.GetValues<Protocol>().All(p =>
        Ranges.TryGetValue(p, out var ranges) && ranges.Length == 1 && ranges[0] == new PortRange(PortRange.MinPort, PortRange.MaxPort));

    public bool IsEmpty => Ranges.Values.All(r => r.IsEmpty);

    public bool Contains(int port, Protocol protocol) =>
        Ranges.TryGetValue(protocol, out var ranges) && ranges.Any(r => r.First <= port && port <= r.Last);

    public bool Equals(ConnectionSet? other) => other is not null && ToString() == other.ToString();

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    public override string ToString()
    {
        if (IsAll)
        {
            return "All Connections";
        }

        if (IsEmpty)
        {
            return "No Connections";
        }

        return string.Join("; ", Ranges.Where(r => !r.Value.IsEmpty).Select(r => $"{r.Key} {string.Join(",", r.Value)}"));
    }
}
