namespace Maille.Lab.NodeAgents;

/// <summary>
/// What runs on a part's thread just before and just after each of its syncs (<see cref="After"/> even when the sync
/// failed, with its result, or null when the part threw): a node agent process brackets its own nftables commits with
/// them, so that any other commit is drift.
/// </summary>
public sealed record NodePartSyncHooks(Action Before, Action<INodeAgentPart, NodePartSync?> After);
