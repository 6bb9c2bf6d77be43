using System.Net;
using System.Security.Cryptography;
using System.Text;
using Maille.Model;

namespace Maille.Engine.LoadBalancing;

/// <summary>
/// Chooses, for every LoadBalancer address Maille announces, the one node that answers ARP for it. Stateless and
/// deterministic, as MetalLB's layer-2 speakers decide without talking to each other: the eligible nodes are ordered
/// by SHA-256 of <c>node#address</c> and the first one wins, so every observer with the same view picks the same node,
/// the addresses of a cluster spread over its nodes, and a node going down moves only the addresses it held.
/// </summary>
/// <remarks>
/// Eligible: a node selected by an L2Advertisement covering the address's pool (and allowing the announcing
/// interface), not down, and, when every Service on the address has <c>externalTrafficPolicy: Local</c>, holding a
/// ready endpoint of one of them. An address none of whose Services has a ready endpoint (endpoints on down nodes do
/// not count) is not announced, as MetalLB does not announce it.
/// </remarks>
public static class L2AnnouncerElection
{
    /// <summary>The node interface lab nodes announce on.</summary>
    public const string DefaultInterface = "eth0";

    public static IReadOnlyList<L2Announcement> Elect(ClusterState cluster, IReadOnlySet<string>? downNodes = null, string nodeInterface = DefaultInterface)
    {
        downNodes ??= new HashSet<string>(StringComparer.Ordinal);
        var plan = cluster.LoadBalancing;
        var byAddress = plan.Allocations
            .Where(a => a.Address is not null && a.Kind != LoadBalancerAllocationKind.Pending && cluster.ServicesByName.ContainsKey(a.Service)
                && LoadBalancerAnnotations.IsHandled(cluster.ServicesByName[a.Service]))
            .GroupBy(a => a.Address!)
            .OrderBy(g => IpMath.ToUInt32(g.Key));
        var announcements = new List<L2Announcement>();
        foreach (var group in byAddress)
        {
            var services = group.Select(a => cluster.ServicesByName[a.Service]).OrderBy(s => s.QualifiedName, StringComparer.Ordinal).ToList();
            var announcement = new L2Announcement { Address = group.Key, Services = new(services.Select(s => s.QualifiedName)) };
            announcements.Add(Decide(cluster, announcement, services, downNodes, nodeInterface));
        }

        return announcements;
    }

    /// <summary>The eligible nodes ordered by MetalLB's hash of <c>node#address</c>, the winner first.</summary>
    public static IReadOnlyList<string> Order(IEnumerable<string> nodes, IPAddress address) =>
        [.. nodes.Select(n => (Node: n, Hash: SHA256.HashData(Encoding.UTF8.GetBytes($"{n}#{address}"))))
            .OrderBy(x => x.Hash, ByteOrder.Instance)
            .ThenBy(x => x.Node, StringComparer.Ordinal)
            .Select(x => x.Node)];

    private static L2Announcement Decide(ClusterState cluster, L2Announcement announcement, IReadOnlyList<Service> services, IReadOnlySet<string> downNodes, string nodeInterface)
    {
        var pool = cluster.LoadBalancing.PoolOf(announcement.Address);
        if (pool is null)
        {
            return announcement with { Reason = "not in any of Maille's address pools (assigned elsewhere)" };
        }

        announcement = announcement with { Pool = pool.Name };
        var advertisements = cluster.LoadBalancing.Advertisements.Where(a => a.Covers(pool)).ToList();
        if (advertisements.Count == 0)
        {
            return announcement with { Reason = $"no L2Advertisement covers pool \"{pool.Name}\"" };
        }

        var usable = advertisements.Where(a => a.Interfaces.IsEmpty || a.Interfaces.Contains(nodeInterface)).ToList();
        if (usable.Count == 0)
        {
            return announcement with { Reason = $"the L2Advertisements of pool \"{pool.Name}\" name interfaces ({string.Join(", ", advertisements.SelectMany(a => a.Interfaces).Distinct())}) nodes do not have (they announce on {nodeInterface})" };
        }

        var selected = cluster.Nodes
            .Where(n => usable.Any(a => a.NodeSelectors.IsEmpty || a.NodeSelectors.Any(s => s.Matches(n.Meta.Labels))))
            .Select(n => n.Name)
            .ToList();
        if (selected.Count == 0)
        {
            return announcement with { Reason = $"the nodeSelectors of the L2Advertisements of pool \"{pool.Name}\" select no node" };
        }

        var readyOn = services.ToDictionary(s => s.QualifiedName, s => cluster.SlicesFor(s)
            .SelectMany(slice => slice.Endpoints)
            .Where(e => e.Conditions.Ready && (e.NodeName is null || !downNodes.Contains(e.NodeName)))
            .Select(e => e.NodeName)
            .ToList());
        if (readyOn.Values.All(nodes => nodes.Count == 0))
        {
            return announcement with { Reason = "no ready endpoint, and MetalLB announces only Services that have one" };
        }

        var alive = selected.Where(n => !downNodes.Contains(n)).ToList();
        if (services.All(s => s.ExternalTrafficPolicy == TrafficPolicy.Local))
        {
            var local = readyOn.Values.SelectMany(nodes => nodes).OfType<string>().ToHashSet(StringComparer.Ordinal);
            alive = [.. alive.Where(local.Contains)];
            if (alive.Count == 0)
            {
                return announcement with { Reason = "externalTrafficPolicy Local: no eligible node that is up holds a ready endpoint" };
            }
        }
        else if (alive.Count == 0)
        {
            return announcement with { Reason = "every eligible node is down" };
        }

        var order = Order(alive, announcement.Address);
        return announcement with { Node = order[0], EligibleNodes = new(order) };
    }

    /// <summary>Compares hashes as bytes, as Go's bytes.Compare does.</summary>
    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static ByteOrder Instance { get; } = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
