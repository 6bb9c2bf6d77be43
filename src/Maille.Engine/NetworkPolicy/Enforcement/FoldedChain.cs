using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// A policy chain folded into two lookups (<see cref="ChainFold"/>), tried in this order:
/// <list type="number">
/// <item><see cref="PortBoxes"/>: (peer, protocol, port) boxes of the rules with ports, each a single protocol;</item>
/// <item><see cref="PeerRanges"/>: peer address ranges of the rules without ports (every protocol and port).</item>
/// </list>
/// Each list is disjoint; the first element found names the rule that allows the packet, and none denies it.
/// </summary>
public sealed record FoldedChain(EquatableArray<FoldedElement> PortBoxes, EquatableArray<FoldedElement> PeerRanges)
{
    /// <summary>The rule that allows a packet from (or, for egress, to) <paramref name="peer"/>, as the two lookups find it; null when denied.</summary>
    public PolicyRuleId? Decide(uint peer, int protocol, int port)
    {
        foreach (var box in PortBoxes)
        {
            if (box.Contains(peer, protocol, port))
            {
                return box.Rule;
            }
        }

        foreach (var range in PeerRanges)
        {
            if (range.Peers.Contains(peer))
            {
                return range.Rule;
            }
        }

        return null;
    }
}
