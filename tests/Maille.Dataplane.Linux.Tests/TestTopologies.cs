using System.Net;
using Maille.Dataplane.Linux.Lab;

namespace Maille.Dataplane.Linux.Tests;

/// <summary>
/// Node network 198.18.0.0/24 (gateway .1 on the underlay bridge, external client .2, nodes .11, .12, ...);
/// node i's pod CIDR is 198.19.i.0/24 and its pods are 198.19.i.10, .11, ...
/// </summary>
internal static class TestTopologies
{
    public static LabTopology Make(int nodes, int podsPerNode) => new()
    {
        Nodes = new(Enumerable.Range(1, nodes).Select(i => new LabNode
        {
            Name = $"node{i}",
            Address = IPAddress.Parse($"198.18.0.{10 + i}"),
            PodCidr = IPNetwork.Parse($"198.19.{i}.0/24"),
        })),
        Pods = new(Enumerable.Range(1, nodes).SelectMany(i => Enumerable.Range(0, podsPerNode).Select(j => new LabPod
        {
            Key = $"default/pod-{i}-{j}",
            Node = $"node{i}",
            Address = IPAddress.Parse($"198.19.{i}.{10 + j}"),
        }))),
    };
}
