using System.Net;
using Maille.Dataplane.Linux.Flows;
using Maille.Dataplane.Nftables;
using Maille.Engine;
using Maille.Lab.Observe;
using Maille.Lab.Tests.Labs;
using Maille.TestKit;

namespace Maille.Lab.Tests.Observe;

/// <summary>
/// The flow observer fed through its kernel sink, without a kernel: LabPolicyTests' cluster, planned offline (web-1 on
/// node-1 and web-2 on node-2 behind Service web, 80 → http 8080; other/client on node-3; outside/intruder on node-3;
/// default/deny-all isolates default for ingress, default/allow-other admits namespace other on http).
/// </summary>
public sealed class FlowObserverTests
{
    private static readonly ClusterState Planned = Plan();

    private static IPAddress Ip(string pod) => Planned.PodsByName[pod].Status.PodIP!;

    private static IPAddress WebClusterIP => Planned.ServicesByName["default/web"].ClusterIP!;

    private static readonly Lazy<string> IngressChain = new(() =>
        Engine.NetworkPolicies.NodePolicyPlanner.Plan(Planned, "node-1").Chains.Single(c => c.Policies.Contains("default/allow-other")).Name);

    [Fact]
    public void AServiceConnectionToAnotherNode_IsReportedByTheEndpointsNodeWithTheServiceAndTheAllowingRule()
    {
        var flows = Resolve(observer =>
        {
            // node-3 translates the ClusterIP to web-1; node-1 then sees the connection addressed to web-1 itself.
            observer.Connections("node-3", [Connection(Ip("other/client"), 40000, WebClusterIP, 80, Ip("default/web-1"), 8080)]);
            observer.Connections("node-1", [Connection(Ip("other/client"), 40000, Ip("default/web-1"), 8080, Ip("default/web-1"), 8080)]);
        });

        var flow = Assert.IsType<FlowRecord>(Assert.Single(flows));
        Assert.Equal(("node-1", "other/client", "default/web-1", 8080, "TCP"), (flow.Node, flow.From, flow.To, flow.Port, flow.Protocol));
        Assert.Equal(("default/web", WebClusterIP, (int?)80), (flow.Service, flow.ServiceAddress, flow.ServicePort));
        Assert.Equal(("allowed", "default/allow-other ingress rule 0 peer 0 port 0"), (flow.Verdict, flow.Rule));
    }

    [Fact]
    public void TheEndpointsNodeReadFirst_StillGetsTheServiceItsClientsNodeReportsJustAfter()
    {
        var flows = Resolve(observer =>
        {
            observer.Connections("node-2", [Connection(Ip("other/client"), 40002, Ip("default/web-2"), 8080, Ip("default/web-2"), 8080)]);
            observer.Connections("node-3", [Connection(Ip("other/client"), 40002, WebClusterIP, 80, Ip("default/web-2"), 8080)]);
        });

        var flow = Assert.IsType<FlowRecord>(Assert.Single(flows));
        Assert.Equal(("node-2", "default/web", (int?)80), (flow.Node, flow.Service, flow.ServicePort));
    }

    [Fact]
    public void ALoggedDenial_NamesTheDefaultDenyOfThePoliciesOfItsChain()
    {
        var flows = Resolve(observer => observer.Denials("node-1", [new NflogPacket(PolicyDenialLog.Prefix(IngressChain.Value), 6, Ip("outside/intruder"), 50000, Ip("default/web-1"), 8080, 7)]));

        var flow = Assert.IsType<FlowRecord>(Assert.Single(flows));
        Assert.Equal(("outside/intruder", "default/web-1", "dropped"), (flow.From, flow.To, flow.Verdict));
        Assert.Equal("default deny of default/allow-other, default/deny-all (ingress)", flow.Rule);
    }

    [Fact]
    public void ALoggedClusterPolicyDenial_NamesTheTierPriorityPolicyAndRuleThatDenied()
    {
        var guard = ClusterNetworkPolicyBuilder.Admin("guard-default", 5)
            .SubjectNamespaces(("kubernetes.io/metadata.name", "default"))
            .Ingress("no-outsiders", Model.ClusterPolicyAction.Deny, [ClusterNetworkPolicyBuilder.Namespaces(("kubernetes.io/metadata.name", "outside"))]);
        var result = Cluster.Plan(LabPolicyTests.Manifests + "\n---\n" + guard.Yaml());
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var planned = result.Cluster!;
        var rule = Engine.NetworkPolicies.NodePolicyPlanner.Plan(planned, "node-1").TierChains.SelectMany(c => c.Rules).Single().Rule;

        var flows = Resolve(planned, observer => observer.Denials("node-1", [new NflogPacket(PolicyDenialLog.Prefix(rule), 6, Ip("outside/intruder"), 50000, Ip("default/web-1"), 8080, 7)]));

        Assert.Equal("maille-deny cnp-guard-default-ingress-0", PolicyDenialLog.Prefix(rule));
        var flow = Assert.IsType<FlowRecord>(Assert.Single(flows));
        Assert.Equal(("outside/intruder", "default/web-1", "dropped"), (flow.From, flow.To, flow.Verdict));
        Assert.Contains("denied by Admin tier priority 5 guard-default ingress rule 0 \"no-outsiders\" (Deny)", flow.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void AClusterPolicyRuleKeyTooLongForTheKernelsLogPrefix_IsLoggedAsAHashThatStillReadsAsAClusterRule()
    {
        var rule = new Engine.NetworkPolicies.ClusterRuleId(Model.ClusterPolicyTier.Admin, 1, new string('p', 200), Model.PolicyDirection.Egress, 3);

        var prefix = PolicyDenialLog.Prefix(rule);

        Assert.True(prefix.Length <= PolicyDenialLog.MaxPrefixLength, prefix);
        Assert.StartsWith("maille-deny cnp-egress-", prefix, StringComparison.Ordinal);
        Assert.True(PolicyDenialLog.IsClusterRule(prefix));
        Assert.False(PolicyDenialLog.IsClusterRule(PolicyDenialLog.Prefix("ingress-0123abcd")));
    }

    [Fact]
    public void ANodesOwnConnectionAnUnknownLogPrefixAndTheSourceNodesShare_AreNotFlows()
    {
        var node1 = Planned.NodesByName["node-1"].InternalIP!;

        var flows = Resolve(observer =>
        {
            observer.Connections("node-1", [Connection(node1, 40000, Ip("default/web-1"), 8080, Ip("default/web-1"), 8080)]);
            observer.Denials("node-1", [new NflogPacket("someone else's rule", 6, Ip("outside/intruder"), 50000, Ip("default/web-1"), 8080, null)]);
            observer.Connections("node-3", [Connection(Ip("other/client"), 40001, Ip("default/web-1"), 8080, Ip("default/web-1"), 8080)]);
            observer.Connections("node-1", [Connection(Ip("other/client"), 40001, Ip("default/web-1"), 8080, Ip("default/web-1"), 8080)]);
        });

        // Only the last, the endpoint's node's report of the client's connection.
        var flow = Assert.IsType<FlowRecord>(Assert.Single(flows));
        Assert.Equal(("node-1", 40001, (string?)null), (flow.Node, flow.FromPort, flow.Service));
    }

    [Fact]
    public void AFullQueue_DropsWhatDoesNotFitAndSaysExactlyHowMany()
    {
        // Ten connections reach a queue of four before the resolver starts: four flows, then one loss of six.
        var flows = Resolve(
            observer => observer.Connections("node-1", [.. Enumerable.Range(0, 10).Select(i => Connection(Ip("other/client"), 40000 + i, Ip("default/web-1"), 8080, Ip("default/web-1"), 8080))]),
            new FlowObserverOptions { QueueCapacity = 4 },
            expected: 5);

        Assert.Equal(4, flows.OfType<FlowRecord>().Count());
        var loss = Assert.Single(flows.OfType<FlowLoss>());
        Assert.Equal(("queue", 6L, true), (loss.Source, loss.Count, loss.Exact));
    }

    [Fact]
    public void TheHistory_KeepsOnlyTheMostRecentEvents()
    {
        var flows = Resolve(
            observer => observer.Connections("node-1", [.. Enumerable.Range(0, 10).Select(i => Connection(Ip("other/client"), 40000 + i, Ip("default/web-1"), 8080, Ip("default/web-1"), 8080))]),
            new FlowObserverOptions { HistoryCapacity = 3 },
            expected: 3,
            settle: 10);

        Assert.Equal([40007, 40008, 40009], flows.OfType<FlowRecord>().Select(f => f.FromPort));
    }

    [Fact]
    public void AKernelLoss_IsAnEventOfItsOwn()
    {
        var flows = Resolve(observer => observer.Lost("node-2", KernelFlowSource.Conntrack, 1, exact: false));

        var loss = Assert.IsType<FlowLoss>(Assert.Single(flows));
        Assert.Equal(("node-2", "conntrack", 1L, false), (loss.Node, loss.Source, loss.Count, loss.Exact));
    }

    [Fact]
    public void Filters_SelectBySourceNamespaceDestinationServiceAndVerdict()
    {
        var allowed = new FlowRecord
        {
            Time = DateTimeOffset.UnixEpoch,
            Node = "node-1",
            From = "other/client",
            FromAddress = Ip("other/client"),
            FromPort = 1,
            To = "default/web-1",
            ToAddress = Ip("default/web-1"),
            Port = 8080,
            Protocol = "TCP",
            Service = "default/web",
            ServiceAddress = WebClusterIP,
            ServicePort = 80,
            Allowed = true,
            Rule = "r",
        };

        Assert.True(new FlowFilter("other/", "web").Matches(allowed));
        Assert.True(new FlowFilter("other/client", "default/web-1", "allowed").Matches(allowed));
        Assert.True(new FlowFilter(null, WebClusterIP.ToString()).Matches(allowed));
        Assert.False(new FlowFilter("outside/", null).Matches(allowed));
        Assert.False(new FlowFilter("client", null).Matches(allowed));
        Assert.False(new FlowFilter(null, null, "dropped").Matches(allowed));
        Assert.True(new FlowFilter("outside/", null, "dropped").Matches(new FlowLoss { Time = DateTimeOffset.UnixEpoch, Source = "queue", Count = 1, Exact = true }));
    }

    [Fact]
    public void TheJsonContract_HasItsFieldsInOrder()
    {
        var flow = new FlowRecord
        {
            Time = new DateTimeOffset(2026, 12, 6, 8, 0, 1, 234, TimeSpan.Zero),
            Node = "node-1",
            From = "other/client",
            FromAddress = IPAddress.Parse("198.19.3.2"),
            FromPort = 40000,
            To = "default/web-1",
            ToAddress = IPAddress.Parse("198.19.1.2"),
            Port = 8080,
            Protocol = "TCP",
            Service = "default/web",
            ServiceAddress = IPAddress.Parse("198.18.128.10"),
            ServicePort = 80,
            Allowed = true,
            Rule = "default/allow-other ingress rule 0 peer 0 port 0",
        };
        var loss = new FlowLoss { Time = flow.Time, Node = null, Source = "queue", Count = 6, Exact = true };

        Assert.Equal(
            """{"kind":"Flow","time":"2026-12-06T08:00:01.234Z","node":"node-1","from":"other/client","fromIP":"198.19.3.2","fromPort":40000,"to":"default/web-1","toIP":"198.19.1.2","port":8080,"protocol":"TCP","service":"default/web","serviceIP":"198.18.128.10","servicePort":80,"verdict":"allowed","rule":"default/allow-other ingress rule 0 peer 0 port 0"}""",
            FlowJson.Line(flow));
        Assert.Equal("""{"kind":"Lost","time":"2026-12-06T08:00:01.234Z","node":null,"source":"queue","count":6,"exact":true}""", FlowJson.Line(loss));
    }

    private static ConntrackEvent Connection(IPAddress source, int sourcePort, IPAddress destination, int destinationPort, IPAddress endpoint, int endpointPort) =>
        new(6, source, (ushort)sourcePort, destination, (ushort)destinationPort, endpoint, (ushort)endpointPort, source, (ushort)sourcePort);

    /// <summary>Feeds an observer before it resolves anything, then waits until it has published <paramref name="expected"/> events (and <paramref name="settle"/> have been resolved).</summary>
    private static IReadOnlyList<FlowEvent> Resolve(Action<FlowObserver> feed, FlowObserverOptions? options = null, int expected = 1, int settle = 0) =>
        Resolve(Planned, feed, options, expected, settle);

    private static IReadOnlyList<FlowEvent> Resolve(ClusterState planned, Action<FlowObserver> feed, FlowObserverOptions? options = null, int expected = 1, int settle = 0)
    {
        var observer = new FlowObserver(() => planned, _ => null, TimeProvider.System, options);
        try
        {
            feed(observer);
            observer.StartResolving();
            var done = Poll.Until("the observer resolved what it was fed", () => observer.Recent().Count >= expected, timeout: TimeSpan.FromSeconds(5));
            Assert.True(done.Met, done.ToString());
            Thread.Sleep(100 + (settle * 10));
            return observer.Recent();
        }
        finally
        {
            observer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static ClusterState Plan()
    {
        var result = Cluster.Plan(LabPolicyTests.Manifests);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Cluster!;
    }
}
