using System.Net;
using Maille.Engine.Validation;
using Maille.Model;

namespace Maille.Engine.Allocation;

/// <summary>
/// Decides the node set and gives each node its pod CIDR and node-network address: Node objects first, then the
/// configuration's nodes, else <c>NodeCount</c> nodes named <c>node-1</c>…; node k gets pod CIDR k of the cluster CIDR
/// and host 10+k of the node network, unless the input says otherwise.
/// </summary>
internal static class NodeTopology
{
    public const string HostnameLabel = "kubernetes.io/hostname";

    public static IReadOnlyList<Node> Build(ManifestSet manifests, ClusterConfig config, List<Diagnostic> diagnostics)
    {
        var declared = new List<Node>(manifests.Nodes.OrderBy(n => n.Name, StringComparer.Ordinal));
        if (declared.Count == 0)
        {
            declared.AddRange(config.Nodes.Select(n => new Node
            {
                Meta = new ObjectMeta { Name = n.Name, Labels = n.Labels, Source = new SourceLocation(config.Source, null), CreationTimestamp = config.NodesCreated },
                PodCidr = n.PodCidr,
                InternalIP = n.Address,
            }));
        }

        if (declared.Count == 0)
        {
            declared.AddRange(Enumerable.Range(1, config.NodeCount).Select(k => new Node { Meta = new ObjectMeta { Name = $"node-{k}", CreationTimestamp = config.NodesCreated } }));
        }

        var known = declared.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var named = manifests.Pods.Select(p => (p.Spec.NodeName, p.Meta))
            .Concat(manifests.Workloads.Select(w => (w.Template.Spec.NodeName, w.Meta)))
            .Where(x => x.NodeName is not null && !known.Contains(x.NodeName))
            .GroupBy(x => x.NodeName!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in named)
        {
            var first = group.First().Meta;
            diagnostics.Add(new Diagnostic
            {
                Type = FieldErrorType.Warning,
                File = first.Source.File,
                Line = first.Source.LineOf("spec.nodeName"),
                Object = new ObjectRef("Node", null, group.Key),
                Detail = $"not declared, but named by spec.nodeName of {first.QualifiedName}; created it",
            });
            declared.Add(new Node { Meta = new ObjectMeta { Name = group.Key, CreationTimestamp = config.NodesCreated } });
        }

        var nodes = new List<Node>(declared.Count);
        var cidrs = new Dictionary<IPNetwork, string>();
        var addresses = new Dictionary<IPAddress, string>();
        for (var k = 1; k <= declared.Count; k++)
        {
            var node = declared[k - 1];
            var podCidr = node.PodCidr ?? PodCidrOf(config, k);
            var address = node.InternalIP ?? IpMath.Offset(config.NodeNetwork, (ulong)(10 + k));
            var errors = new FieldErrors(new ObjectRef("Node", null, node.Name), node.Meta.Source, diagnostics);
            if (cidrs.TryGetValue(podCidr, out var other) || cidrs.Keys.Any(c => c.Contains(podCidr.BaseAddress) || podCidr.Contains(c.BaseAddress)))
            {
                errors.Invalid("spec.podCIDR", podCidr.ToString(), $"overlaps the pod CIDR of node {other ?? cidrs.First(c => c.Key.Contains(podCidr.BaseAddress) || podCidr.Contains(c.Key.BaseAddress)).Value}");
            }

            if (!addresses.TryAdd(address, node.Name))
            {
                errors.Invalid("status.addresses", address.ToString(), $"InternalIP already used by node {addresses[address]}");
            }

            if (node.InternalIP is null && (!config.NodeNetwork.Contains(address) || IpMath.ToUInt32(address) >= IpMath.ToUInt32(config.NodeNetwork.BaseAddress) + (uint)IpMath.Size(config.NodeNetwork) - 1))
            {
                errors.Invalid("status.addresses", address.ToString(), $"node {k} has no address left in the node network {config.NodeNetwork} (nodes take hosts 11 and up); widen nodeNetwork or use fewer nodes");
            }

            if (node.PodCidr is null && !IpMath.IsSubsetOf(podCidr, config.ClusterCidr))
            {
                errors.Invalid("spec.podCIDR", podCidr.ToString(), $"node {k} has no /{config.PodCidrPrefix} left in the cluster CIDR {config.ClusterCidr}; widen clusterCIDR or lengthen podCIDRPrefix");
            }

            cidrs.TryAdd(podCidr, node.Name);
            nodes.Add(node with
            {
                Meta = node.Meta with { Labels = node.Meta.Labels.With(HostnameLabel, node.Name).With("kubernetes.io/os", "linux") },
                PodCidr = podCidr,
                InternalIP = address,
            });
        }

        return nodes;
    }

    private static IPNetwork PodCidrOf(ClusterConfig config, int k)
    {
        var size = 1ul << (32 - config.PodCidrPrefix);
        return new IPNetwork(IpMath.Offset(config.ClusterCidr, size * (ulong)k), config.PodCidrPrefix);
    }
}
