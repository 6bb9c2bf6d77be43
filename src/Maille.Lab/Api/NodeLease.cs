using k8s.Models;
using Maille.Engine;
using Maille.Kube;
using Maille.Model;

namespace Maille.Lab.Api;

/// <summary>
/// A node's heartbeat, as a kubelet keeps it: the <c>coordination.k8s.io/v1</c> Lease named after the node in
/// <c>kube-node-lease</c>, held by the node, owned by its Node object, created with it. Its renewal time is not in the
/// plan: the store keeps it (<see cref="LabStore.RenewLeases"/>), and the view writes it in.
/// </summary>
internal sealed record NodeLease(string Node, string NodeUid, DateTimeOffset? Created)
{
    public const string Namespace = "kube-node-lease";

    /// <summary>The kubelet's default (<c>nodeLeaseDurationSeconds</c>).</summary>
    public const int DurationSeconds = 40;

    /// <summary>One lease per node of <paramref name="cluster"/>, in the nodes' order.</summary>
    public static IEnumerable<ApiObject> Of(ClusterState cluster) => cluster.Nodes.Select(n =>
    {
        var lease = new NodeLease(n.Name, ObjectUid.Of("Node", n.Meta), n.Meta.CreationTimestamp);
        return new ApiObject(MetaOf(n), lease, lease.Write);
    });

    /// <summary>The lease's metadata: named after <paramref name="node"/>, in <see cref="Namespace"/>, created with it.</summary>
    public static ObjectMeta MetaOf(Node node) => new() { Name = node.Name, Namespace = Namespace, CreationTimestamp = node.Meta.CreationTimestamp };

    /// <summary>The lease without its renewal time (<see cref="ApiView"/> sets it).</summary>
    public V1Lease Write() => new()
    {
        ApiVersion = "coordination.k8s.io/v1",
        Kind = "Lease",
        Metadata = new V1ObjectMeta
        {
            Name = Node,
            NamespaceProperty = Namespace,
            Uid = ObjectUid.Of("Lease", Namespace, Node, Created),
            CreationTimestamp = Created?.UtcDateTime,
            OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Node", Name = Node, Uid = NodeUid }],
        },
        Spec = new V1LeaseSpec { HolderIdentity = Node, LeaseDurationSeconds = DurationSeconds },
    };
}
