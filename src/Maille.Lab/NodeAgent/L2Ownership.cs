using System.Net;

namespace Maille.Lab.NodeAgents;

/// <summary>
/// Which node answers ARP for each LoadBalancer address, shared by the lab's L2 announcers so that an address is never
/// answered by two nodes at once (MetalLB issues #315 and #968: neighbours flip between two MACs). A node that is
/// elected for an address another node still holds waits until that node has withdrawn it; the other node's agent syncs
/// the same election at the same moment, and withdraws before it announces anything, so two nodes swapping addresses
/// never wait for each other. Thread-safe.
/// </summary>
/// <remarks>
/// The lab's nodes live in one process, so a lock stands in for what a real cluster would need a lease for; a
/// <c>maille agent</c> process would take that lease instead.
/// </remarks>
public sealed class L2Ownership
{
    private readonly object _gate = new();
    private readonly Dictionary<IPAddress, string> _holders = [];

    /// <summary>
    /// Makes <paramref name="node"/> the holder of <paramref name="address"/> once no other node holds it, waiting at
    /// most <paramref name="timeout"/>. Returns the node still holding it when the time is up, else null.
    /// </summary>
    public string? Claim(IPAddress address, string node, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (_holders.TryGetValue(address, out var holder) && holder != node)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !Monitor.Wait(_gate, left))
                {
                    if (_holders.TryGetValue(address, out var still) && still != node)
                    {
                        return still;
                    }
                }
            }

            _holders[address] = node;
            return null;
        }
    }

    /// <summary><paramref name="node"/> no longer answers for <paramref name="address"/>.</summary>
    public void Release(IPAddress address, string node)
    {
        lock (_gate)
        {
            if (_holders.TryGetValue(address, out var holder) && holder == node)
            {
                _holders.Remove(address);
                Monitor.PulseAll(_gate);
            }
        }
    }
}
