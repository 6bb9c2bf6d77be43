namespace Maille.Lab.Labs;

/// <summary>What a node agent reports about its syncs.</summary>
internal sealed record NodeAgentStatus
{
    public long Syncs { get; init; }

    public double LastSyncMilliseconds { get; init; }

    public string LastError { get; init; } = "";
}
