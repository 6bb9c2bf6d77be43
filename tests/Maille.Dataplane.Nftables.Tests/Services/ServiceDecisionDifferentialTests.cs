using System.Net;
using Maille.Engine;
using Maille.Engine.ServiceProxy;
using Maille.Engine.Trace;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Dataplane.Nftables.Tests.Services;

// IP plan: node-1..3 198.18.0.11-13 with pods in 198.19.N.0/24; the external client 198.18.0.2; LoadBalancer addresses
// from the default pool 198.18.0.200-250. Each world (RandomServiceDecisions) has a client pod and a hostNetwork client
// (the node's own address) per node, and one Service app/web whose endpoint pods are ready, not ready, terminating or
// terminated on random nodes.

/// <summary>
/// One Service decision, four readers, one answer: which endpoints a connection's first packet may reach, or whether
/// it is rejected or dropped. The rungs, as the NetworkPolicy ladder has them: a naive reference written from the pods
/// and kube-proxy's rules (CategorizeEndpoints and the nftables proxier's choice of list) → the entry node's
/// <see cref="NodeServicePlan"/> → <c>maille trace</c> (<see cref="Tracer"/>) → the node's rendered table walked by
/// <see cref="NftPacketTracer"/>. Every world is traced from each client (pod or hostNetwork) to the ClusterIP, from
/// outside and from each client to every node's NodePort, and from outside and from each client to the LoadBalancer
/// address (loadBalancerSourceRanges included). A disagreement prints the seed; replay it with
/// <c>RandomServiceDecisions.Yaml(seed)</c>.
/// </summary>
public sealed class ServiceDecisionDifferentialTests
{
    private const int Seeds = 300;

    private const string Reject = "reject";
    private const string Drop = "drop";

    [Fact]
    public void RandomServices_ReferencePlanTraceAndRulesChooseTheSameEndpoints()
    {
        var tally = new Dictionary<string, int>(StringComparer.Ordinal);
        var connections = 0;
        for (var seed = 1; seed <= Seeds; seed++)
        {
            var cluster = Cluster.Valid(RandomServiceDecisions.Yaml(seed));
            var service = cluster.ServicesByName["app/web"];
            var protocol = service.Ports[0].Protocol;
            var plans = cluster.Nodes.ToDictionary(n => n.Name, n => ServiceProxyPlanner.Plan(cluster, n.Name), StringComparer.Ordinal);
            var rulesets = plans.ToDictionary(p => p.Key, p => ServiceRulesetBuilder.Build(p.Value), StringComparer.Ordinal);
            var tracer = Tracer.For(cluster);
            foreach (var connection in ServiceConnections.Of(cluster, service))
            {
                var reference = Reference(cluster, service, connection);
                var planned = Planned(plans[connection.EntryNode].Ports.Single(), connection);
                var traced = Traced(tracer.Trace(connection.Source, new TraceTarget(connection.Text, null, null, null, connection.Destination, connection.Port, protocol)));
                var packet = new NftTracePacket(connection.Source.Address, connection.Destination, protocol.ToString().ToLowerInvariant(), connection.Port, Ingress(connection.Entry));
                var walked = Walked(new NftPacketTracer(rulesets[connection.EntryNode]).Trace(packet));
                if (planned != reference || traced != reference || walked != reference)
                {
                    Assert.Fail($"seed {seed} (RandomServiceDecisions.Yaml({seed})), {connection.Text} entering at {connection.EntryNode}: "
                        + $"reference says {reference}; plan says {planned}; trace says {traced}; nftables rules say {walked}");
                }

                var kind = reference is Reject or Drop ? reference : AllTerminating(cluster, reference) ? "terminating fallback" : "endpoints";
                tally[kind] = tally.GetValueOrDefault(kind) + 1;
                connections++;
            }
        }

        // The generator must reach every outcome in earnest, or agreeing proves little.
        var summary = $"{connections} connections: " + string.Join(", ", tally.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Value} {t.Key}"));
        Assert.True(connections >= Seeds * 4, summary);
        Assert.All([Reject, Drop, "endpoints", "terminating fallback"], kind => Assert.True(tally.GetValueOrDefault(kind) >= connections / 50, summary));
    }

    /// <summary>
    /// The naive rung, from the pods rather than their slices: an endpoint is ready when it serves and is not
    /// terminating (or the Service publishes not-ready addresses); a list holds its ready endpoints, else those serving
    /// while terminating; Local lists only the entry node's. An empty list rejects when the Service has no usable
    /// endpoint anywhere, and drops otherwise. Before all that, a LoadBalancer IP drops sources outside
    /// loadBalancerSourceRanges.
    /// </summary>
    private static string Reference(ClusterState cluster, Service service, ServiceConnection connection)
    {
        if (connection.ToLoadBalancerIP && service.LoadBalancerSourceRanges.Count > 0
            && !service.LoadBalancerSourceRanges.Any(r => IPNetwork.Parse(r).Contains(connection.Source.Address)))
        {
            return Drop;
        }

        var endpoints = cluster.Pods.Where(p => p.Meta.Labels.Get("app") == "web" && p.Status.PodIP is not null)
            .Select(p => (Pod: p, Serving: p.Status.Ready ?? true, p.IsTerminating))
            .Select(e => (e.Pod, Ready: service.PublishNotReadyAddresses || (e.Serving && !e.IsTerminating), ServingTerminating: e.Serving && e.IsTerminating))
            .ToList();
        List<Pod> Usable(bool onEntryNodeOnly)
        {
            var here = endpoints.Where(e => !onEntryNodeOnly || e.Pod.Spec.NodeName == connection.EntryNode).ToList();
            return [.. (here.Any(e => e.Ready) ? here.Where(e => e.Ready) : here.Where(e => e.ServingTerminating)).Select(e => e.Pod)];
        }

        var local = connection.Traffic switch
        {
            ServiceTraffic.Internal => service.InternalTrafficPolicy == TrafficPolicy.Local,
            ServiceTraffic.ExternalFromOutside => service.ExternalTrafficPolicy == TrafficPolicy.Local,
            _ => false,
        };
        var chosen = Usable(local);
        if (chosen.Count == 0)
        {
            return Usable(false).Count == 0 ? Reject : Drop;
        }

        return Endpoints(chosen.Select(p => (p.Status.PodIP!.ToString(), 8080)));
    }

    /// <summary>The entry node's plan, read as the renderer reads it.</summary>
    private static string Planned(ServicePortPlan port, ServiceConnection connection)
    {
        if (connection.ToLoadBalancerIP && !port.SourceRanges.IsEmpty && !port.SourceRanges.Any(r => r.Contains(connection.Source.Address)))
        {
            return Drop;
        }

        var traffic = connection.Traffic;
        var list = traffic switch
        {
            ServiceTraffic.Internal => port.InternalEndpoints,
            ServiceTraffic.ExternalFromPod => port.ClusterEndpoints,
            _ => port.ExternalEndpoints,
        };
        if (list.IsEmpty)
        {
            return port.WhenEmpty == EmptyServiceVerdict.Reject ? Reject : Drop;
        }

        return Endpoints(list.Select(e => (e.Address.ToString(), e.Port)));
    }

    private static string Traced(TraceResult result)
    {
        if (result.Endpoints.Count > 0)
        {
            return Endpoints(result.Endpoints.Select(e => (e.Ip, e.Port)));
        }

        return result.Hops.FirstOrDefault(h => h.Stage == "service")?.Result switch
        {
            "rejected" => Reject,
            "dropped" => Drop,
            _ => $"unreachable ({result.Reason})",
        };
    }

    private static NftIngress Ingress(ServiceEntry entry) => entry switch
    {
        ServiceEntry.Pod => NftIngress.Pod,
        ServiceEntry.Node => NftIngress.NodeLocal,
        _ => NftIngress.Underlay,
    };

    private static string Walked(NftTraceResult result) => result.Verdict switch
    {
        NftTraceVerdict.Translated => Endpoints(result.Targets.Select(t => (t.Address.ToString(), t.Port))),
        NftTraceVerdict.Rejected => Reject,
        NftTraceVerdict.Dropped => Drop,
        _ => "pass",
    };

    private static string Endpoints(IEnumerable<(string Address, int Port)> endpoints) =>
        string.Join(", ", endpoints.Select(e => $"{e.Address}:{e.Port}").Order(StringComparer.Ordinal));

    private static bool AllTerminating(ClusterState cluster, string endpoints) =>
        endpoints.Split(", ").All(e => cluster.Pods.Single(p => $"{p.Status.PodIP}:8080" == e).IsTerminating);
}
