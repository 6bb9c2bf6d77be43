using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Lab.Probing;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Lab.Tests.Labs;

// Privileged: NetworkPolicy on a NodePort's endpoint, in both data planes. LabPolicyTests' cluster (node-1..3 at
// 198.18.0.11-13, the external client at 198.18.0.2, client in namespace other and intruder in namespace outside on
// node-3, default isolated for ingress by deny-all) plus solo, a pod of default on node-1 behind solo-np (NodePort
// 30090, externalTrafficPolicy Cluster, solo its only endpoint). solo-from-other admits namespace other on 8080 and
// isolates solo's egress (no egress rule).
//
// Through node-1's NodePort the endpoint is on the node the connection enters: kube-proxy masquerades it to node-1's
// address (what solo's server sees), but nftables' forward hook judges it before postrouting, from the client's own
// address, and so does the engine (Tracer.PolicySource). Through node-2's NodePort the connection is masqueraded before
// it leaves node-2, and node-1 judges it from node-2's address.
public sealed class LabNodePortPolicyTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Manifests = LabPolicyTests.Manifests + """

        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: solo, labels: {app: solo}}
        spec: {nodeName: node-1, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: solo-np}
        spec: {type: NodePort, selector: {app: solo}, ports: [{port: 80, targetPort: 8080, nodePort: 30090}]}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: solo-from-other}
        spec:
          podSelector: {matchLabels: {app: solo}}
          policyTypes: [Ingress, Egress]
          ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: other}}}], ports: [{port: 8080}]}]
        """;

    private const string Node1 = "198.18.0.11";

    private const string Node2 = "198.18.0.12";

    [SkippableTheory]
    [InlineData(DataplaneKind.Nftables)]
    [InlineData(DataplaneKind.Ebpf)]
    public void A_NodePort_connection_to_an_endpoint_on_the_entry_node_is_judged_from_the_client_and_the_endpoint_still_sees_the_node(DataplaneKind dataplane)
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Manifests, output, dataplane);

        // The engine's word for each client: allowed only from namespace other, and never from node-2's address.
        Assert.Equal("allowed", EngineVerdict(lab, "other/client", $"{Node1}:30090"));
        Assert.Equal("denied", EngineVerdict(lab, "outside/intruder", $"{Node1}:30090"));
        Assert.Equal("denied", EngineVerdict(lab, "external", $"{Node1}:30090"));
        Assert.Equal("denied", EngineVerdict(lab, "external", $"{Node2}:30090"));

        // Allowed: the client reaches solo, whose server sees node-1's address (masqueraded, as kube-proxy does). Its
        // answers cross solo's isolated egress as replies.
        var allowed = lab.Exec("other/client", "curl", "-sS", "-m", "3", $"http://{Node1}:30090/clientip");
        Assert.True(allowed.ExitCode == 0, allowed.Stderr);
        Assert.StartsWith(Node1 + ":", allowed.Stdout, StringComparison.Ordinal);

        // Denied: rejected at once (ICMP admin-prohibited: curl exit 7, "No route to host"), from a pod of another node
        // and from outside, through node-1's NodePort and through node-2's.
        var fromIntruder = lab.Exec("outside/intruder", "curl", "-sS", "-m", "3", $"http://{Node1}:30090/clientip");
        Assert.True(fromIntruder.ExitCode == 7, $"exit {fromIntruder.ExitCode}: {fromIntruder.Stdout}{fromIntruder.Stderr}");
        using var external = NetworkNamespace.Open(LabNames.External(lab.Name));
        foreach (var node in new[] { Node1, Node2 })
        {
            var rejected = Assert.ThrowsAny<SocketException>(() => LabHttp.Get(external, IPAddress.Parse(node), 30090, "/clientip", TimeSpan.FromSeconds(3)));
            Assert.Equal(SocketError.HostUnreachable, rejected.SocketErrorCode);
        }

        if (dataplane == DataplaneKind.Ebpf)
        {
            // The live trace walks solo's ingress in the tc program's maps as the program does: from the external
            // client that node-1's conntrack entry names, to the chain's end; through node-2, from node-2's address.
            var fromOutside = IngressWalk(lab, "external", $"{Node1}:30090");
            Assert.Equal(("node-1", "198.18.0.2", "denied"), ((string)fromOutside["node"]!, (string)fromOutside["peer"]!, (string)fromOutside["verdict"]!));
            Assert.StartsWith("deny/ingress-", (string)fromOutside["decidedBy"]!, StringComparison.Ordinal);
            var throughNode2 = IngressWalk(lab, "external", $"{Node2}:30090");
            Assert.Equal((Node2, "denied"), ((string)throughNode2["peer"]!, (string)throughNode2["verdict"]!));
        }
    }

    /// <summary>The engine's verdict for a connection (<c>trace -o json</c>'s top-level verdict).</summary>
    private static string EngineVerdict(LiveLab lab, string from, string to) =>
        (string)JsonNode.Parse(lab.Succeed("trace", "--from", from, "--to", to, "-o", "json"))!["verdict"]!;

    /// <summary>The ebpf walk of solo's ingress in a live trace.</summary>
    private static JsonNode IngressWalk(LiveLab lab, string from, string to)
    {
        var trace = JsonNode.Parse(lab.Succeed("trace", "--from", from, "--to", to, "-o", "json"))!["nftables"]!;
        var entry = trace["policy"]!.AsArray().Single()!;
        return entry["ebpf"]!.AsArray().Single(w => (string)w!["direction"]! == "ingress")!;
    }
}
