namespace Maille.Dataplane.Linux.L2;

/// <summary>A node the health monitor now sees as up or down, when, and how long it had been silent.</summary>
public sealed record NodeHealthChange(string Node, bool Up, DateTimeOffset At, TimeSpan SilentFor);
