using System.Collections.Immutable;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Dataplane.Linux.Nftables;
using Maille.Engine.Flows;
using Maille.Model;

namespace Maille.Lab.Policy;

/// <summary>
/// The flows a running lab can tell of without <c>maille observe</c>: the connections each node's conntrack table
/// holds now (<c>conntrack -L</c> in the node's namespace, where pod traffic is forwarded and NetworkPolicy judged).
/// So "seen" means "still tracked": open TCP connections however old (conntrack keeps an established one for five
/// days of silence), closed ones for their last two minutes (TIME_WAIT), UDP flows for 30 s after their last packet
/// (120 s once answered). Connections within one pod's own namespace never reach a node and are not seen.
/// </summary>
internal sealed class ConntrackRecentFlows(LabNetwork network, IReadOnlyList<string> nodes) : IRecentFlows
{
    public string Window =>
        "the connections each node's conntrack table holds now: open TCP connections however old, closed ones for 2 minutes, UDP flows for 30-120 s after their last packet";

    public RecentFlowRead Read()
    {
        var namespaces = nodes.Select(network.Node).ToList();
        var reads = NetworkNamespace.RunInEach(namespaces, _ =>
        {
            try
            {
                return (Entries: ConntrackTable.List(), Error: (string?)null);
            }
            catch (InvalidOperationException e)
            {
                return (Entries: (IReadOnlyList<ConntrackEntry>)[], Error: e.Message);
            }
        });

        var flows = ImmutableArray.CreateBuilder<RecentFlow>();
        var errors = ImmutableArray.CreateBuilder<string>();
        for (var i = 0; i < nodes.Count; i++)
        {
            if (reads[i].Error is { } error)
            {
                errors.Add($"{nodes[i]}: {error}");
            }

            foreach (var entry in reads[i].Entries)
            {
                if (Enum.TryParse<Protocol>(entry.Protocol, ignoreCase: true, out var protocol) && Enum.IsDefined(protocol))
                {
                    // The reply comes from where the connection really goes: the endpoint, after any Service DNAT.
                    var translated = !entry.Destination.Equals(entry.ReplySource) || entry.DestinationPort != entry.ReplySourcePort;
                    flows.Add(new RecentFlow(
                        nodes[i], protocol, entry.Source, entry.SourcePort, entry.ReplySource, entry.ReplySourcePort,
                        translated ? entry.Destination : null, translated ? entry.DestinationPort : null, entry.State, SeenAt: null));
                }
            }
        }

        return new RecentFlowRead(flows.ToImmutable(), errors.ToImmutable());
    }
}
