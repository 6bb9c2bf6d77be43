using System.Net;
using Maille.Engine.Trace;
using Maille.Model;

namespace Maille.TestKit;

/// <summary>One connection to a Service of a <see cref="RandomServiceDecisions"/> world: who, to which address, entering where.</summary>
internal sealed record ServiceConnection(string Text, string EntryNode, TraceSource Source, IPAddress Destination, int Port, ServiceEntry Entry, ServiceTraffic Traffic)
{
    public bool ToLoadBalancerIP { get; init; }

    /// <summary>
    /// From a client pod: the packet meets the entry node's rules from the pod's veth, from the node itself (a
    /// hostNetwork pod on the entry node) or from the node network (from another node, its address kept).
    /// </summary>
    public static ServiceConnection From(Pod client, string to, string entryNode, IPAddress destination, int port, ServiceTraffic traffic)
    {
        var entry = client.Spec.NodeName != entryNode ? ServiceEntry.Underlay : client.Spec.HostNetwork ? ServiceEntry.Node : ServiceEntry.Pod;
        return new($"{client.Name} to {to}", entryNode, new TraceSource(client, client.Status.PodIP!), destination, port, entry, traffic);
    }
}
