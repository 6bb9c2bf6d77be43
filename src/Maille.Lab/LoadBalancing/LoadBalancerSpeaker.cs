using System.Net;
using Maille.Dataplane.Linux.L2;
using Maille.Dataplane.Linux.Lab;
using Maille.Engine;
using Maille.Engine.LoadBalancing;
using Maille.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Maille.Lab.LoadBalancing;

/// <summary>
/// The lab's layer-2 speaker: makes, for every LoadBalancer address, the node the engine elects
/// (<see cref="L2AnnouncerElection"/>) answer ARP for it, and no other node. Level-triggered: each
/// <see cref="Sync"/> compares the election with what is announced now and changes only the difference; the new owner
/// sends gratuitous ARP. Feed it the nodes <see cref="NodeHealthMonitor"/> sees down and call it again whenever the
/// cluster or that set changes.
/// </summary>
/// <remarks>
/// One speaker serves every node of the lab, since all nodes live in this process. A failed node cannot say goodbye,
/// and nothing here waits for it to: the address is taken over as soon as the node is reported down. The speaker then
/// also removes the address from the failed node's namespace (a real dead node would have lost it with its power), so
/// a node that comes back never answers for an address it no longer owns.
/// </remarks>
internal sealed partial class LoadBalancerSpeaker(LabNetwork network, ILogger<LoadBalancerSpeaker>? logger = null, string nodeInterface = LabNames.NodeInterface)
{
    private readonly ILogger _logger = logger ?? NullLogger<LoadBalancerSpeaker>.Instance;
    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, string> _owners = [];
    private IReadOnlyList<L2Announcement> _announcements = [];

    /// <summary>Raised after each change a <see cref="Sync"/> made, in address order, on the caller's thread.</summary>
    public event Action<LoadBalancerOwnershipChange>? OwnershipChanged;

    /// <summary>The node answering for each announced address now.</summary>
    public IReadOnlyDictionary<IPAddress, string> Owners
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<IPAddress, string>(_owners);
            }
        }
    }

    /// <summary>The last election, with the reason for each address nobody announces.</summary>
    public IReadOnlyList<L2Announcement> Announcements
    {
        get
        {
            lock (_gate)
            {
                return _announcements;
            }
        }
    }

    /// <summary>Makes the announcements match the election for <paramref name="cluster"/> with <paramref name="downNodes"/> down.</summary>
    /// <returns>What changed, in address order.</returns>
    public IReadOnlyList<LoadBalancerOwnershipChange> Sync(ClusterState cluster, IReadOnlySet<string>? downNodes = null)
    {
        downNodes ??= new HashSet<string>(StringComparer.Ordinal);
        var changes = new List<LoadBalancerOwnershipChange>();
        lock (_gate)
        {
            var election = L2AnnouncerElection.Elect(cluster, downNodes, nodeInterface);
            var elected = election.ToDictionary(a => a.Address);
            var wanted = election.Where(a => a.Node is not null && HasNode(a.Node)).ToDictionary(a => a.Address);

            // Withdraw first: an address must never be answered by two nodes at once.
            var released = new Dictionary<IPAddress, string>();
            foreach (var (address, owner) in _owners.ToList())
            {
                if (wanted.TryGetValue(address, out var next) && next.Node == owner)
                {
                    continue;
                }

                var now = elected.GetValueOrDefault(address);
                var reason = downNodes.Contains(owner) ? $"node {owner} is down"
                    : now is not null ? now.Reason ?? $"{now.Node} is now first in the election"
                    : "no LoadBalancer Service holds it any more";
                Withdraw(address, owner, reason);
                released[address] = owner;
                if (!wanted.ContainsKey(address))
                {
                    changes.Add(new LoadBalancerOwnershipChange(address, now?.Services ?? EquatableArray<string>.Empty, owner, null, reason));
                }
            }

            foreach (var (address, announcement) in wanted.Where(w => !_owners.ContainsKey(w.Key)))
            {
                var from = released.GetValueOrDefault(address);
                var reason = from is null ? "newly elected" : downNodes.Contains(from) ? $"node {from} is down" : $"{announcement.Node} is now first in the election";
                var failure = Announce(address, announcement.Node!, reason);
                changes.Add(new LoadBalancerOwnershipChange(address, announcement.Services, from, failure is null ? announcement.Node : null,
                    failure is null ? reason : $"announcing on {announcement.Node} failed: {failure}"));
            }

            _announcements = election;
        }

        changes.Sort((a, b) => IpMath.ToUInt32(a.Address).CompareTo(IpMath.ToUInt32(b.Address)));
        foreach (var change in changes)
        {
            OwnershipChanged?.Invoke(change);
        }

        return changes;
    }

    /// <summary>Withdraws every address this speaker announced (at shutdown).</summary>
    public void WithdrawAll()
    {
        lock (_gate)
        {
            foreach (var (address, owner) in _owners.ToList())
            {
                Withdraw(address, owner, "speaker stopping");
            }
        }
    }

    private bool HasNode(string node) => network.Plan.Nodes.Any(n => n.Name == node);

    /// <returns>Null on success, else what went wrong.</returns>
    private string? Announce(IPAddress address, string node, string reason)
    {
        try
        {
            L2Announcer.Announce(network.Node(node), nodeInterface, address);
            _owners[address] = node;
            LogAnnounced(address, node, reason);
            return null;
        }
        catch (IOException exception)
        {
            LogFailed(address, node, exception.Message);
            return exception.Message;
        }
    }

    private void Withdraw(IPAddress address, string node, string reason)
    {
        _owners.Remove(address);
        try
        {
            L2Announcer.Withdraw(network.Node(node), nodeInterface, address);
            LogWithdrawn(address, node, reason);
        }
        catch (IOException exception)
        {
            LogFailed(address, node, exception.Message);
        }
    }
}
