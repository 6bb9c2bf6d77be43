using System.Collections.Immutable;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>The whole answer for a pair: every protocol and port the source may open to the destination.</summary>
public sealed partial class NetworkPolicyEvaluator
{
    /// <summary>
    /// Exact: the verdict can only change at a port some relevant rule (NetworkPolicy or ClusterNetworkPolicy) names (a number, the end of a range, or a
    /// named port resolved on the destination), so one evaluation per interval between those boundaries suffices.
    /// </summary>
    public ConnectionSet AllowedConnections(PolicyEndpoint from, PolicyEndpoint to)
    {
        var fromClass = from.Pod is null ? null : ClassOf(from.Pod);
        var toClass = to.Pod is null ? null : ClassOf(to.Pod);
        var entries = (fromClass?.EgressPolicies.SelectMany(p => p.Egress) ?? [])
            .Concat(toClass?.IngressPolicies.SelectMany(p => p.Ingress) ?? [])
            .SelectMany(r => r.Ports)
            .ToList();
        var clusterEntries = (fromClass is null ? [] : fromClass.AdminPolicies.Concat(fromClass.BaselinePolicies).SelectMany(p => p.Egress))
            .Concat(toClass is null ? [] : toClass.AdminPolicies.Concat(toClass.BaselinePolicies).SelectMany(p => p.Ingress))
            .SelectMany(r => r.Ports)
            .ToList();
        var ranges = ImmutableSortedDictionary.CreateBuilder<Protocol, ImmutableArray<PortRange>>();
        foreach (var protocol in Enum.GetValues<Protocol>())
        {
            var boundaries = new SortedSet<int> { PortRange.MinPort, PortRange.MaxPort + 1 };
            foreach (var entry in entries.Where(e => e.Protocol == protocol && e.Port is not null))
            {
                var first = entry.Port!.Value.IsNamed
                    ? to.Pod?.Spec.FindPort(entry.Port.Value.Name!, protocol)?.Port
                    : entry.Port.Value.Number;
                if (first is { } start)
                {
                    boundaries.Add(start);
                    boundaries.Add((entry.Port.Value.IsNamed ? start : entry.EndPort ?? start) + 1);
                }
            }

            foreach (var entry in clusterEntries)
            {
                var (first, last) = entry.NamedPort is { } name
                    ? to.Pod?.Spec.FindPort(name, protocol) is { } named ? (named.Port, named.Port) : (0, -1)
                    : entry.Protocol == protocol ? (entry.First, entry.Last) : (0, -1);
                if (first <= last)
                {
                    boundaries.Add(first);
                    boundaries.Add(last + 1);
                }
            }

            var allowed = ImmutableArray.CreateBuilder<PortRange>();
            var points = boundaries.Where(b => b <= PortRange.MaxPort + 1).ToList();
            for (var i = 0; i + 1 < points.Count; i++)
            {
                if (!Evaluate(from, to, points[i], protocol).Allowed)
                {
                    continue;
                }

                var range = new PortRange(points[i], points[i + 1] - 1);
                if (allowed.Count > 0 && allowed[^1].Last + 1 == range.First)
                {
                    range = new PortRange(allowed[^1].First, range.Last);
                    allowed.RemoveAt(allowed.Count - 1);
                }

                allowed.Add(range);
            }

            ranges[protocol] = allowed.ToImmutable();
        }

        return new ConnectionSet(ranges.ToImmutable());
    }
}
