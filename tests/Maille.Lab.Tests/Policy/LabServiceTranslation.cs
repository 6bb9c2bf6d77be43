using Maille.Dataplane.Linux.Ebpf;
using Maille.Dataplane.Linux.Nftables;
using Maille.Engine;
using Maille.Lab.Labs;
using Maille.Model;

namespace Maille.Lab.Tests.Policy;

/// <summary>
/// A <see cref="PolicyLab"/>'s Service translation, synced to a cluster on every node, in either data plane: nftables'
/// <see cref="NodeServiceProxy"/> (DNAT per packet), or the ebpf <see cref="NodeSocketLoadBalancer"/> (the socket
/// hooks, on a cgroup made for the test: this test process joins it, so the sockets it opens in the pods' namespaces
/// are translated as a pod's program's are, and leaves it when disposed, the cgroup and its programs removed).
/// </summary>
internal sealed class LabServiceTranslation : IDisposable
{
    private readonly List<IDisposable> _parts = [];
    private readonly LabCgroup? _cgroup;

    public LabServiceTranslation(PolicyLab lab, ClusterState cluster, DataplaneKind dataplane)
    {
        try
        {
            if (dataplane == DataplaneKind.Ebpf)
            {
                _cgroup = LabCgroup.For(lab.Name);
                _cgroup.Create();
                foreach (var node in cluster.Nodes)
                {
                    var balancer = new NodeSocketLoadBalancer(lab.Network.Node(node.Name), node.Name, _cgroup, c => PodNamespaces(lab, c, node.Name));
                    _parts.Add(balancer);
                    Assert.Null(balancer.Sync(cluster).Error);
                }

                _cgroup.Join(Environment.ProcessId);
            }
            else
            {
                foreach (var node in cluster.Nodes)
                {
                    var proxy = new NodeServiceProxy(lab.Network.Node(node.Name), node.Name);
                    _parts.Add(proxy);
                    Assert.Null(proxy.Sync(cluster).Error);
                }
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private static List<string> PodNamespaces(PolicyLab lab, ClusterState cluster, string node) =>
        [.. LabTopologyMapper.LabPods(cluster).Where(p => p.Spec.NodeName == node).Select(p => lab.Network.Pod(p.QualifiedName).Name)];

    public void Dispose()
    {
        foreach (var part in _parts)
        {
            part.Dispose();
        }

        _parts.Clear();
        _cgroup?.Remove();
    }
}
