namespace Maille.Cli.Compare;

/// <summary>
/// What one combination of pod network mode and data plane measured. A measure that was not taken (the run stopped
/// before it) is null.
/// </summary>
internal sealed record ComparisonRow(string Mode, string Dataplane)
{
    /// <summary>Cross-node iperf3 TCP, pod to the server pod's address: the median over the rounds, Gbit/s.</summary>
    public double? PodToPodGbps { get; init; }

    /// <summary>The same, to the server's Service's ClusterIP.</summary>
    public double? PodToClusterIpGbps { get; init; }

    /// <summary>Connect latency, pod to the server pod (no Service, no policy).</summary>
    public LatencySummary? Connect { get; init; }

    /// <summary>Connect latency, pod to ClusterIPs, with the workload's first Services only.</summary>
    public LatencySummary? FirstPacketFew { get; init; }

    /// <summary>Connect latency, pod to ClusterIPs spread over every Service, once all of them are programmed.</summary>
    public LatencySummary? FirstPacketMany { get; init; }

    /// <summary>From the API call that added the Services to the moment every node had programmed all of them.</summary>
    public ProgrammingTime? Services { get; init; }

    /// <summary>From the API call that added the NetworkPolicies to the moment every node enforced all of them.</summary>
    public ProgrammingTime? Policies { get; init; }

    /// <summary>Connect latency, pod to the server pod, with every policy selecting the server.</summary>
    public LatencySummary? ConnectWithPolicies { get; init; }

    /// <summary>The lab daemon's resident memory at the end (every Service and policy in place), MB.</summary>
    public double? DaemonMemoryMb { get; init; }

    /// <summary>The key of the combination, as <c>--modes</c> and <c>--dataplanes</c> name it: <c>routed/nftables</c>.</summary>
    public string Combination => $"{Mode}/{Dataplane}";
}
