namespace Maille.Lab.NodeAgents;

/// <summary>What a node agent reports about its syncs, summed over its parts (each part's own is a <see cref="NodePartStatus"/>).</summary>
public sealed record NodeAgentStatus
{
    /// <summary>Plans handed to the running agent (each part syncs them in its own time).</summary>
    public long Syncs { get; init; }

    /// <summary>The longest last sync among the parts.</summary>
    public double LastSyncMilliseconds { get; init; }

    /// <summary>Each part's last error as <c>part: message</c>, joined by <c>; </c>; empty when none has one.</summary>
    public string LastError { get; init; } = "";
}
