using System.Net;
using System.Net.Sockets;
using Maille.Model;

namespace Maille.Dataplane.Linux.Lab;

/// <summary>
/// Turns a lab name and a <see cref="LabTopology"/> into a <see cref="LabNetworkPlan"/>: pure, no syscalls.
/// Every address must lie in 198.18.0.0/15 (RFC 2544's benchmarking range), so a lab never collides with a
/// real network.
/// </summary>
public static class LabNetworkPlanner
{
    public static readonly IPNetwork AllowedRange = IPNetwork.Parse("198.18.0.0/15");

    /// <summary>Every problem with the input, empty when it can be planned.</summary>
    public static IReadOnlyList<string> Validate(string lab, LabTopology topology)
    {
        var errors = new List<string>();
        if (!LabNames.IsValidLab(lab))
        {
            errors.Add($"lab name '{lab}': {LabNames.LabNameRule}");
        }

        CheckAddress(errors, "underlay gateway", topology.UnderlayGateway);
        CheckAddress(errors, "external address", topology.ExternalAddress);
        var nodeNames = new HashSet<string>(StringComparer.Ordinal);
        var addresses = new HashSet<IPAddress> { topology.UnderlayGateway };
        if (!addresses.Add(topology.ExternalAddress))
        {
            errors.Add($"external address {topology.ExternalAddress} is the underlay gateway");
        }

        var cidrs = new List<(string Node, IPNetwork Cidr)>();
        foreach (var node in topology.Nodes)
        {
            if (!LabNames.IsValidNode(node.Name))
            {
                errors.Add($"node '{node.Name}' must be a DNS label-like name of at most 63 characters");
            }

            if (!nodeNames.Add(node.Name))
            {
                errors.Add($"node '{node.Name}' is listed twice");
            }

            CheckAddress(errors, $"node {node.Name} address", node.Address);
            if (node.PrefixLength is < 1 or > 30)
            {
                errors.Add($"node {node.Name}: prefix length {node.PrefixLength} is not in 1-30");
            }
            else
            {
                var network = IpMath.Network(node.Address, node.PrefixLength);
                if (!network.Contains(topology.UnderlayGateway) || !network.Contains(topology.ExternalAddress))
                {
                    errors.Add($"node {node.Name}: {node.Address}/{node.PrefixLength} does not hold the underlay gateway and the external address");
                }
            }

            if (!addresses.Add(node.Address))
            {
                errors.Add($"node {node.Name}: address {node.Address} is already in use");
            }

            if (!AllowedRange.Contains(node.PodCidr.BaseAddress) || node.PodCidr.PrefixLength < AllowedRange.PrefixLength)
            {
                errors.Add($"node {node.Name}: pod CIDR {node.PodCidr} is outside {AllowedRange}");
            }

            foreach (var (other, cidr) in cidrs.Where(existing => Overlaps(existing.Cidr, node.PodCidr)))
            {
                errors.Add($"node {node.Name}: pod CIDR {node.PodCidr} overlaps node {other}'s {cidr}");
            }

            cidrs.Add((node.Name, node.PodCidr));
        }

        var nodesByName = topology.Nodes.GroupBy(node => node.Name).ToDictionary(group => group.Key, group => group.First());
        var podKeys = new HashSet<string>(StringComparer.Ordinal);
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pod in topology.Pods)
        {
            if (!podKeys.Add(pod.Key))
            {
                errors.Add($"pod '{pod.Key}' is listed twice");
                continue;
            }

            if (!hashes.Add(LabNames.PodHostInterface(pod.Key)) || !hashes.Add(LabNames.Pod(lab, pod.Key)))
            {
                errors.Add($"pod '{pod.Key}': its hashed names collide with another pod's");
            }

            CheckAddress(errors, $"pod {pod.Key} address", pod.Address);
            if (!nodesByName.TryGetValue(pod.Node, out var node))
            {
                errors.Add($"pod '{pod.Key}': node '{pod.Node}' is not in the topology");
            }
            else if (!node.PodCidr.Contains(pod.Address))
            {
                errors.Add($"pod '{pod.Key}': {pod.Address} is outside node {node.Name}'s pod CIDR {node.PodCidr}");
            }
            else if (topology.Mode == LabNetworkMode.Vxlan && pod.Address.Equals(node.PodCidr.BaseAddress))
            {
                errors.Add($"pod '{pod.Key}': {pod.Address} is node {node.Name}'s VXLAN address (the pod CIDR's first address)");
            }

            if (!addresses.Add(pod.Address))
            {
                errors.Add($"pod '{pod.Key}': address {pod.Address} is already in use");
            }
        }

        return errors;
    }

    /// <exception cref="ArgumentException">The topology is invalid; the message lists every problem.</exception>
    public static LabNetworkPlan Plan(string lab, LabTopology topology)
    {
        var errors = Validate(lab, topology);
        if (errors.Count > 0)
        {
            throw new ArgumentException("the lab topology is invalid:\n  " + string.Join("\n  ", errors), nameof(topology));
        }

        var vxlan = topology.Mode == LabNetworkMode.Vxlan;
        var nodes = topology.Nodes.Select(node => new NodeNetworkPlan
        {
            Name = node.Name,
            Namespace = LabNames.Node(lab, node.Name),
            UnderlayInterface = LabNames.NodeUnderlayInterface(node.Name),
            Address = node.Address,
            PrefixLength = node.PrefixLength,
            PodCidr = node.PodCidr,
            Routes = new(topology.Nodes
                .Where(other => other.Name != node.Name)
                .Select(other => new NodeRoute(other.PodCidr, vxlan ? other.PodCidr.BaseAddress : other.Address))),
            VxlanAddress = vxlan ? node.PodCidr.BaseAddress : null,
            VxlanPeers = vxlan
                ? new(topology.Nodes.Where(other => other.Name != node.Name).Select(other => other.Address))
                : EquatableArray<IPAddress>.Empty,
        });
        var pods = topology.Pods.Select(pod => PlanPod(lab, pod));
        return new LabNetworkPlan
        {
            Lab = lab,
            Mode = topology.Mode,
            UnderlayNamespace = LabNames.Underlay(lab),
            ExternalNamespace = LabNames.External(lab),
            UnderlayGateway = topology.UnderlayGateway,
            UnderlayPrefixLength = topology.Nodes.Count > 0 ? topology.Nodes[0].PrefixLength : 24,
            ExternalAddress = topology.ExternalAddress,
            Nodes = new(nodes),
            Pods = new(pods),
        };
    }

    public static PodNetworkPlan PlanPod(string lab, LabPod pod) => new()
    {
        Key = pod.Key,
        Node = pod.Node,
        Namespace = LabNames.Pod(lab, pod.Key),
        HostInterface = LabNames.PodHostInterface(pod.Key),
        Address = pod.Address,
    };

    private static void CheckAddress(List<string> errors, string what, IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork || !AllowedRange.Contains(address))
        {
            errors.Add($"{what} {address} is not an IPv4 address in {AllowedRange}");
        }
    }

    private static bool Overlaps(IPNetwork first, IPNetwork second) =>
        first.Contains(second.BaseAddress) || second.Contains(first.BaseAddress);
}
