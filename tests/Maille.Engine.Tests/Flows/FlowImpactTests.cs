using System.Net;
using Maille.Engine.Flows;
using Maille.Engine.NetworkPolicies;
using Maille.Engine.Tests.NetworkPolicies;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Engine.Tests.Flows;

/// <summary>
/// <see cref="FlowImpact"/> on the playground (x/a 198.19.1.2 on node-1, x/b 198.19.2.2 on node-2, y/b 198.19.2.3 on
/// node-2; node-1's address 198.18.0.11): which seen flows a candidate's policies would cut.
/// </summary>
public sealed class FlowImpactTests
{
    private static readonly IPAddress XA = IPAddress.Parse("198.19.1.2");
    private static readonly IPAddress XB = IPAddress.Parse("198.19.2.2");
    private static readonly IPAddress YB = IPAddress.Parse("198.19.2.3");

    [Fact]
    public void A_flow_the_candidate_denies_is_cut_once_however_many_nodes_saw_it_and_one_it_allows_is_not()
    {
        var current = Playground.With();
        var candidate = Playground.With(PolicyYaml.Allow("allow-x-a", "x", "pod=b", "pod=a", "80").Yaml);
        RecentFlow[] flows =
        [
            // x/a → x/b:80 stays allowed (rule 0 admits pod=a); y/b → x/b:80 is cut, seen on both nodes; two client ports.
            Flow("node-1", XA, 40000, XB, 80),
            Flow("node-2", XA, 40000, XB, 80),
            Flow("node-2", YB, 40001, XB, 80),
            Flow("node-2", YB, 40002, XB, 80),
            Flow("node-2", IPAddress.Parse("198.18.0.11"), 40003, XB, 80),
        ];

        var impact = FlowImpact.Judge(current.Cluster, candidate.Cluster, flows);

        var cut = Assert.Single(impact.Cut);
        Assert.Equal(("y/b", "x/b", new PortProtocol(80, Protocol.TCP), 2), (cut.From, cut.To, cut.Port, cut.Connections));
        Assert.Equal(["node-2"], cut.Nodes.ToArray());
        Assert.True(cut.Current.Allowed);
        Assert.Equal(["x/allow-x-a"], cut.Candidate!.Ingress.IsolatedBy.ToArray());
        Assert.Equal((3, 1), (impact.Judged, impact.NotJudged));
    }

    [Fact]
    public void A_flow_the_current_policies_already_deny_is_not_the_change_s_doing()
    {
        var deny = PolicyYaml.DenyIngress("x").Yaml;

        var impact = FlowImpact.Judge(Playground.With(deny).Cluster, Playground.With(deny).Cluster, [Flow("node-2", YB, 40001, XB, 80)]);

        Assert.Empty(impact.Cut);
        Assert.Equal(1, impact.Judged);
    }

    private static RecentFlow Flow(string node, IPAddress source, int sourcePort, IPAddress destination, int port) =>
        new(node, Protocol.TCP, source, sourcePort, destination, port, SentTo: null, SentToPort: null, State: "ESTABLISHED", SeenAt: null);
}
