namespace Maille.Lab.Agent;

/// <summary>The parts <c>maille agent --parts</c> names (contract): which data-plane roles one agent plays on its node.</summary>
public static class AgentParts
{
    public const string ServiceProxy = "service-proxy";
    public const string NetworkPolicy = "network-policy";
    public const string L2Announcer = "l2-announcer";

    public static IReadOnlyList<string> All { get; } = [ServiceProxy, NetworkPolicy, L2Announcer];

    /// <summary>The parts of a comma-separated list, or the error that names the unknown one.</summary>
    public static (IReadOnlySet<string>? Parts, string? Error) Parse(string? list)
    {
        if (string.IsNullOrWhiteSpace(list))
        {
            return (All.ToHashSet(StringComparer.Ordinal), null);
        }

        var parts = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        return parts.FirstOrDefault(p => !All.Contains(p)) is { } unknown
            ? (null, $"--parts: unknown part \"{unknown}\" (the parts are {string.Join(", ", All)})")
            : parts.Count == 0 ? (null, "--parts: name at least one part") : (parts, null);
    }

    /// <summary>
    /// The resources each part may see, as the real component's RBAC allows: the proxy Services, EndpointSlices and
    /// Nodes; the enforcer Pods, Namespaces and NetworkPolicies (and Nodes, for their pod CIDRs); the announcer
    /// Services, EndpointSlices, Nodes and MetalLB's pools and advertisements.
    /// </summary>
    public static IReadOnlySet<string> Kinds(IReadOnlySet<string> parts)
    {
        var kinds = new HashSet<string>(StringComparer.Ordinal) { "Node" };
        if (parts.Contains(ServiceProxy) || parts.Contains(L2Announcer))
        {
            kinds.UnionWith(["Service", "EndpointSlice"]);
        }

        if (parts.Contains(NetworkPolicy))
        {
            kinds.UnionWith(["Pod", "Namespace", "NetworkPolicy", "ClusterNetworkPolicy", "AdminNetworkPolicy", "BaselineAdminNetworkPolicy"]);
        }

        if (parts.Contains(L2Announcer))
        {
            kinds.UnionWith(["IPAddressPool", "L2Advertisement"]);
        }

        return kinds;
    }
}
