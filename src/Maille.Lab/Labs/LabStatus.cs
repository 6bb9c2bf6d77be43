namespace Maille.Lab.Labs;

/// <summary>What the daemon reports about its lab: <c>Starting</c>, <c>Ready</c> or <c>Failed</c> (with a message).</summary>
public sealed record LabStatus
{
    public const string Starting = "Starting";
    public const string Ready = "Ready";
    public const string Failed = "Failed";

    public required string Phase { get; init; }

    public string Message { get; init; } = "";

    public string Mode { get; init; } = "routed";

    /// <summary>Whether policy changes cut the connections they deny (<c>maille up --flush-denied-connections</c>).</summary>
    public bool FlushDeniedConnections { get; init; }

    /// <summary>Where the nodes' Service proxies and policy enforcers run: <c>inline</c> (the daemon) or <c>process</c> (<c>maille agent</c> per node).</summary>
    public string? Agents { get; init; }

    /// <summary>The data plane: <c>nftables</c> or <c>ebpf</c> (<c>maille up --dataplane</c>); null in a status written before there was a choice.</summary>
    public string? Dataplane { get; init; }

    /// <summary>The API's HTTPS port on 127.0.0.1 (the kubeconfig's server), once ready.</summary>
    public int? ApiPort { get; init; }

    public int Nodes { get; init; }

    public int Pods { get; init; }

    public int Ports { get; init; }

    public double NetworkMilliseconds { get; init; }

    public double ServingMilliseconds { get; init; }

    public DateTimeOffset Since { get; init; }

    /// <summary>Pods whose readiness probes have not passed (yet).</summary>
    public IReadOnlyList<string> NotReady { get; init; } = [];

    /// <summary>Nodes the lab keeps stopped (<c>maille node stop</c>), in order.</summary>
    public IReadOnlyList<string> StoppedNodes { get; init; } = [];

    /// <summary>
    /// Pods of those nodes (<c>namespace/name</c>, in order): not Ready while their node is stopped, as on a cluster's
    /// NotReady node, so <c>maille up</c> does not wait for them.
    /// </summary>
    public IReadOnlyList<string> OnStoppedNodes { get; init; } = [];
}
