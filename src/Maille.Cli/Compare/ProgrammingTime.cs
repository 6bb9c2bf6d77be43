namespace Maille.Cli.Compare;

/// <summary>
/// How long a large change took to reach every node's kernel: <see cref="Seconds"/> from the API call to the end of
/// the last node's sync that programmed it (the daemon's work, the node agents' planning and the kernel writes), and
/// <see cref="AgentSyncMs"/>, the longest of those last syncs alone (the data plane's own share: plan, render, write).
/// </summary>
internal sealed record ProgrammingTime(double Seconds, double AgentSyncMs);
