using System.Net;
using Maille.Engine;
using Maille.Engine.LoadBalancing;
using Maille.Engine.Trace;
using Maille.Model;

namespace Maille.TestKit;

/// <summary>
/// Every connection the Service ladders try in a <see cref="RandomServiceDecisions"/> world: from each client (pod or
/// hostNetwork) to the ClusterIP, from outside and from each client to every node's NodePort, and from each client
/// (and from outside, at the announcing node) to the LoadBalancer address.
/// </summary>
internal static class ServiceConnections
{
    public static IEnumerable<ServiceConnection> Of(ClusterState cluster, Service service)
    {
        var port = service.Ports[0];
        var clients = cluster.Pods.Where(p => p.Meta.Labels.Get("role") == "client").ToList();
        var outside = new TraceSource(null, Tracer.DefaultExternalAddress(cluster.Config));
        foreach (var client in clients)
        {
            yield return ServiceConnection.From(client, "the ClusterIP", client.Spec.NodeName!, service.ClusterIP!, port.Port, ServiceTraffic.Internal);
        }

        if (port.NodePort is { } nodePort)
        {
            foreach (var node in cluster.Nodes)
            {
                yield return new ServiceConnection($"outside to {node.Name}'s NodePort", node.Name, outside, node.InternalIP!, nodePort, ServiceEntry.Underlay, ServiceTraffic.ExternalFromOutside);
                foreach (var client in clients)
                {
                    // A client of another node reaching this node's NodePort arrives as a client outside does; only
                    // this node's own pods (and the node itself) are short-circuited to the Cluster policy.
                    var traffic = client.Spec.NodeName != node.Name ? ServiceTraffic.ExternalFromOutside : ServiceTraffic.ExternalFromPod;
                    yield return ServiceConnection.From(client, $"{node.Name}'s NodePort", node.Name, node.InternalIP!, nodePort, traffic);
                }
            }
        }

        if (service.LoadBalancerIngress is [var text, ..])
        {
            var address = IPAddress.Parse(text);
            foreach (var client in clients)
            {
                yield return ServiceConnection.From(client, "the LoadBalancer IP", client.Spec.NodeName!, address, port.Port, ServiceTraffic.ExternalFromPod) with { ToLoadBalancerIP = true };
            }

            // From outside the address enters at the node announcing it; one nobody announces is not a Service decision.
            if (L2AnnouncerElection.Elect(cluster).FirstOrDefault(a => a.Address.Equals(address))?.Node is { } announcer)
            {
                yield return new ServiceConnection("outside to the LoadBalancer IP", announcer, outside, address, port.Port, ServiceEntry.Underlay, ServiceTraffic.ExternalFromOutside) { ToLoadBalancerIP = true };
            }
        }
    }
}
