using System.Globalization;
using System.Net;
using Maille.Engine;
using Maille.Engine.ServiceProxy;
using Maille.TestKit;

namespace Maille.Dataplane.Nftables.Tests.Services;

// IP plan (testassets/services/every-kind): node-1 198.18.0.11, pods 198.19.1.0/24 (web-a .3, old-a .2);
// node-2 198.18.0.12, pods 198.19.2.0/24 (sick-b .2, web-b .3, web-c .4); external client 198.18.0.2;
// LoadBalancer IPs 198.18.0.200 (source ranges 198.18.0.0/28) and 198.18.0.201 (Local, endpoint on node-2 only),
// externalIP 198.18.0.210.
// Each row walks the rendered table of one node with the packet tracer; endpoints print as pod:port.
public sealed class ServiceTracerTests
{
    private static readonly ClusterState EveryKind = EveryKindCase.Plan(EveryKindCase.Yaml);

    private static readonly Dictionary<string, NftRuleset> Rulesets = EveryKind.Nodes.ToDictionary(
        n => n.Name, n => ServiceRulesetBuilder.Build(ServiceProxyPlanner.Plan(EveryKind, n.Name)), StringComparer.Ordinal);

    /// <param name="node">The node whose table is walked.</param>
    /// <param name="from">pod:IP (ingress from a pod), node (the node itself), or underlay:IP.</param>
    /// <param name="to">svc:NAMESPACE/NAME (its ClusterIP), node:NAME (its address) or an address; then :PORT/PROTOCOL.</param>
    /// <param name="expected">pass, drop, reject, or "dnat pod:port[ masquerade], ..." in endpoint order.</param>
    [Theory]
    [InlineData("node-1", "pod:198.19.1.50", "svc:app/web:80/tcp", "dnat web-a:8080, web-b:8080, web-c:9090")]
    [InlineData("node-1", "pod:198.19.1.50", "svc:app/web:53/udp", "dnat web-a:5353, web-b:5353")]
    [InlineData("node-1", "pod:198.19.1.50", "svc:app/web:7777/sctp", "reject")]
    [InlineData("node-1", "pod:198.19.1.50", "svc:app/web:81/tcp", "reject")]
    [InlineData("node-1", "pod:198.19.1.50", "198.18.200.1:80/tcp", "drop")]
    [InlineData("node-1", "pod:198.19.1.50", "198.19.2.3:8080/tcp", "pass")]
    [InlineData("node-1", "node", "svc:app/web:80/tcp", "dnat web-a:8080 masquerade, web-b:8080 masquerade, web-c:9090 masquerade")]
    [InlineData("node-1", "pod:198.19.1.3", "svc:app/web:80/tcp", "dnat web-a:8080 masquerade, web-b:8080, web-c:9090")]
    [InlineData("node-1", "underlay:198.18.0.2", "node:node-1:30080/tcp", "dnat web-a:8080 masquerade, web-b:8080 masquerade")]
    [InlineData("node-2", "underlay:198.18.0.2", "node:node-2:30080/tcp", "dnat web-a:8080 masquerade, web-b:8080 masquerade")]
    [InlineData("node-1", "pod:198.19.1.50", "node:node-1:30080/tcp", "dnat web-a:8080 masquerade, web-b:8080 masquerade")]
    [InlineData("node-1", "underlay:198.18.0.2", "node:node-2:30080/tcp", "pass")]
    [InlineData("node-1", "underlay:198.18.0.2", "node:node-1:30099/tcp", "pass")]
    [InlineData("node-1", "underlay:198.18.0.2", "node:node-1:30082/tcp", "drop")]
    [InlineData("node-2", "underlay:198.18.0.2", "node:node-2:30082/tcp", "dnat web-b:8080")]
    [InlineData("node-1", "pod:198.19.1.50", "node:node-1:30082/tcp", "dnat web-b:8080")]
    [InlineData("node-1", "node", "node:node-1:30082/tcp", "dnat web-b:8080 masquerade")]
    [InlineData("node-1", "underlay:198.18.0.2", "node:node-1:30081/tcp", "dnat web-a:8080")]
    [InlineData("node-1", "underlay:198.18.0.2", "198.18.0.200:80/tcp", "dnat web-a:8080")]
    [InlineData("node-2", "underlay:198.18.0.2", "198.18.0.200:80/tcp", "dnat web-b:8080")]
    [InlineData("node-1", "underlay:198.18.0.50", "198.18.0.200:80/tcp", "drop")]
    [InlineData("node-1", "pod:198.19.1.50", "node:node-1:30081/tcp", "dnat web-a:8080, web-b:8080")]
    [InlineData("node-1", "pod:198.19.1.50", "198.18.0.200:80/tcp", "drop")] // loadBalancerSourceRanges hold for pods too, as in kube-proxy
    [InlineData("node-1", "node", "198.18.0.200:80/tcp", "dnat web-a:8080 masquerade, web-b:8080 masquerade")]
    [InlineData("node-1", "pod:198.19.1.50", "198.18.0.201:80/tcp", "dnat web-b:8080")]
    [InlineData("node-1", "underlay:198.18.0.2", "198.18.0.201:80/tcp", "drop")]
    [InlineData("node-2", "underlay:198.18.0.2", "198.18.0.201:80/tcp", "dnat web-b:8080")]
    [InlineData("node-1", "underlay:198.18.0.2", "198.18.0.210:8000/tcp", "dnat web-a:8080 masquerade, web-b:8080 masquerade")]
    [InlineData("node-1", "pod:198.19.1.50", "svc:app/sticky:80/tcp", "dnat web-a:8080, web-b:8080")]
    [InlineData("node-1", "pod:198.19.1.50", "svc:app/near:80/tcp", "dnat web-a:8080")]
    [InlineData("node-2", "pod:198.19.2.50", "svc:app/near:80/tcp", "dnat web-b:8080")]
    [InlineData("node-1", "pod:198.19.1.50", "svc:app/near-b:80/tcp", "drop")]
    [InlineData("node-2", "pod:198.19.2.50", "svc:app/near-b:80/tcp", "dnat web-b:8080")]
    [InlineData("node-1", "pod:198.19.1.50", "svc:app/old:80/tcp", "dnat old-a:8080")]
    [InlineData("node-1", "pod:198.19.1.50", "svc:app/sick:80/tcp", "reject")]
    [InlineData("node-1", "pod:198.19.1.50", "svc:app/sick-published:80/tcp", "dnat sick-b:8080")]
    [InlineData("node-1", "pod:198.19.1.50", "svc:app/empty:80/tcp", "reject")]
    [InlineData("node-1", "underlay:198.18.0.2", "svc:app/empty:80/udp", "reject")]
    public void A_first_packet_meets_the_translation_the_Service_semantics_ask_for(string node, string from, string to, string expected)
    {
        var result = new NftPacketTracer(Rulesets[node]).Trace(Packet(node, from, to));

        Assert.Equal(expected, Describe(result));
    }

    [Fact]
    public void The_trace_names_the_chain_and_rule_that_decided()
    {
        var result = new NftPacketTracer(Rulesets["node-1"]).Trace(Packet("node-1", "underlay:198.18.0.2", "node:node-1:30082/tcp"));

        Assert.Equal(NftTraceVerdict.Dropped, result.Verdict);
        Assert.Equal("external-local-0", result.Decision!.Chain);
        Assert.Contains("externalTrafficPolicy Local and no endpoint on this node", result.Decision.Text, StringComparison.Ordinal);
        Assert.Equal(["nat-prerouting", "services", "external-local-0"], result.Steps.Select(s => s.Chain));
    }

    [Fact]
    public void Headless_and_ExternalName_Services_and_SCTP_ports_get_no_rules()
    {
        var plan = ServiceProxyPlanner.Plan(EveryKind, "node-1");
        var ruleset = Rulesets["node-1"];

        Assert.DoesNotContain(plan.Ports, p => p.Id.Service is "headless" or "elsewhere");
        Assert.Contains(plan.Ports, p => p.Id.Protocol == Maille.Model.Protocol.SCTP && !p.KernelSupported);
        Assert.DoesNotContain(ruleset.Sets.SelectMany(s => s.Elements), e => e.Key.Contains("sctp"));
    }

    private static NftTracePacket Packet(string node, string from, string to)
    {
        var (source, ingress) = from switch
        {
            "node" => (EveryKind.NodesByName[node].InternalIP!, NftIngress.NodeLocal),
            _ when from.StartsWith("pod:", StringComparison.Ordinal) => (IPAddress.Parse(from[4..]), NftIngress.Pod),
            _ => (IPAddress.Parse(from["underlay:".Length..]), NftIngress.Underlay),
        };
        var slash = to.LastIndexOf('/');
        var protocol = to[(slash + 1)..];
        var colon = to.LastIndexOf(':', slash);
        var port = int.Parse(to[(colon + 1)..slash], CultureInfo.InvariantCulture);
        var target = to[..colon];
        var destination = target.StartsWith("svc:", StringComparison.Ordinal) ? EveryKind.ServicesByName[target[4..]].ClusterIP!
            : target.StartsWith("node:", StringComparison.Ordinal) ? EveryKind.NodesByName[target[5..]].InternalIP!
            : IPAddress.Parse(target);
        return new NftTracePacket(source, destination, protocol, port, ingress);
    }

    private static string Describe(NftTraceResult result)
    {
        var names = EveryKind.Pods.Where(p => p.Status.PodIP is not null).ToDictionary(p => p.Status.PodIP!.ToString(), p => p.Name);
        return result.Verdict != NftTraceVerdict.Translated
            ? result.ToString()
            : "dnat " + string.Join(", ", result.Targets.Select(t => $"{names.GetValueOrDefault(t.Address.ToString(), t.Address.ToString())}:{t.Port}{(t.Masqueraded ? " masquerade" : "")}"));
    }
}
