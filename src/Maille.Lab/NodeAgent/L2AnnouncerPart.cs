using System.Net;
using Maille.Dataplane.Linux.L2;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Engine;
using Maille.Engine.LoadBalancing;
using Maille.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Maille.Lab.NodeAgents;

/// <summary>
/// A node's layer-2 announcer (MetalLB's speaker on one node): makes the node answer ARP for the LoadBalancer
/// addresses the engine elects it for (<see cref="L2AnnouncerElection"/>, with the nodes the lab's health monitor sees
/// down), and for no other. Each node decides alone from the same election, as MetalLB's speakers do; the new owner
/// sends gratuitous ARP.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>An address is never answered by two nodes: a node withdraws what it lost before it announces anything, and
/// announces an address another node still holds only once that node has withdrawn it (<see cref="L2Ownership"/>,
/// shared by the lab's announcers; at most <see cref="ClaimTimeout"/>, then the sync fails and is retried).</item>
/// <item>A full sync announces every elected address again (an address removed behind the agent's back comes back;
/// the gratuitous ARP is repeated).</item>
/// <item><see cref="WithdrawAll"/> is the lab's stand-in for a node losing power: called when its agent stops, so a
/// node that comes back never answers for an address it no longer owns.</item>
/// </list>
/// </remarks>
public sealed partial class L2AnnouncerPart(string node, NetworkNamespace nodeNamespace, Func<IReadOnlySet<string>> downNodes, L2Ownership ownership, ILogger? logger = null, string nodeInterface = LabNames.NodeInterface) : INodeAgentPart
{
    /// <summary>How long a newly elected node waits for the previous one to withdraw (both sync the same election together).</summary>
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(2);

    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly Lock _gate = new();
    private readonly HashSet<IPAddress> _announced = [];
    private LoadBalancerSnapshot? _applied;

    public string Name => "loadbalancer";

    /// <summary>The last election this node acted on and the addresses it answers for (null before the first sync).</summary>
    public LoadBalancerSnapshot? Applied => Volatile.Read(ref _applied);

    public NodePartDetails Details => Applied?.Details ?? new LoadBalancerDetails();

    public NodePartSync Sync(ClusterState cluster, bool full)
    {
        var down = downNodes();
        var election = L2AnnouncerElection.Elect(cluster, down, nodeInterface);
        var elected = election.ToDictionary(a => a.Address);
        var mine = election.Where(a => a.Node == node).Select(a => a.Address).ToHashSet();
        var errors = new List<string>();
        var commands = 0;
        lock (_gate)
        {
            foreach (var address in _announced.Where(a => !mine.Contains(a)).ToList())
            {
                var now = elected.GetValueOrDefault(address);
                var reason = down.Contains(node) ? $"node {node} is down"
                    : now is not null ? now.Reason ?? $"{now.Node} is now first in the election"
                    : "no LoadBalancer Service holds it any more";
                Withdraw(address, reason);
                commands++;
            }

            foreach (var address in mine.Where(a => full || !_announced.Contains(a)).OrderBy(IpMath.ToUInt32))
            {
                commands++;
                if (Announce(address, _announced.Contains(address) ? "full sync" : "elected") is { } failure)
                {
                    errors.Add($"{address}: {failure}");
                }
            }

            var owned = new EquatableArray<IPAddress>(_announced.OrderBy(IpMath.ToUInt32));
            Volatile.Write(ref _applied, new LoadBalancerSnapshot(election, owned, new LoadBalancerDetails { Addresses = owned.Count }));
        }

        return new NodePartSync { Full = full, CommandCount = commands, Error = errors.Count == 0 ? null : string.Join("; ", errors) };
    }

    /// <summary>Withdraws every address this node answers for (its agent stops; the lab shuts down).</summary>
    public void WithdrawAll()
    {
        lock (_gate)
        {
            foreach (var address in _announced.ToList())
            {
                Withdraw(address, $"node {node} stopping");
            }

            if (Applied is { } applied)
            {
                Volatile.Write(ref _applied, applied with { Addresses = EquatableArray<IPAddress>.Empty, Details = new LoadBalancerDetails() });
            }
        }
    }

    public void Dispose() => WithdrawAll();

    /// <returns>Null on success, else what went wrong.</returns>
    private string? Announce(IPAddress address, string reason)
    {
        if (ownership.Claim(address, node, ClaimTimeout) is { } holder)
        {
            return $"{holder} still answers for it";
        }

        try
        {
            L2Announcer.Announce(nodeNamespace, nodeInterface, address);
            _announced.Add(address);
            LogAnnounced(address, node, reason);
            return null;
        }
        catch (IOException exception)
        {
            ownership.Release(address, node);
            LogFailed(address, node, exception.Message);
            return exception.Message;
        }
    }

    private void Withdraw(IPAddress address, string reason)
    {
        _announced.Remove(address);
        try
        {
            L2Announcer.Withdraw(nodeNamespace, nodeInterface, address);
            LogWithdrawn(address, node, reason);
        }
        catch (IOException exception)
        {
            LogFailed(address, node, exception.Message);
        }
        finally
        {
            ownership.Release(address, node);
        }
    }
}
