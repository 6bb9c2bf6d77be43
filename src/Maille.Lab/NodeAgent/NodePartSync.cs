namespace Maille.Lab.NodeAgents;

/// <summary>What one sync of an <see cref="INodeAgentPart"/> did.</summary>
public sealed record NodePartSync
{
    /// <summary>The whole state was written (the first sync, a forced one, or the first after a failure).</summary>
    public required bool Full { get; init; }

    /// <summary>Commands sent to the kernel (0: nothing changed).</summary>
    public int CommandCount { get; init; }

    /// <summary>The part of the sync spent in the kernel's interface (libnftables, netlink).</summary>
    public TimeSpan ApplyDuration { get; init; }

    /// <summary>Why the kernel refused the change (nft's own message); null when it was applied.</summary>
    public string? Error { get; init; }

    /// <summary>A problem after the change was applied (a conntrack flush that failed); the sync still counts as done.</summary>
    public string? Warning { get; init; }

    public bool Succeeded => Error is null;

    public static NodePartSync Failed(string error, bool full) => new() { Full = full, Error = error };
}
