namespace Maille.Lab.NodeAgents;

/// <summary>What a <see cref="SyncSchedule"/> says to do now: sync (fully or not), or wait this long and ask again.</summary>
internal readonly record struct SyncDecision(bool Run, bool Full, TimeSpan Wait)
{
    public static SyncDecision Sync(bool full) => new(true, full, TimeSpan.Zero);

    public static SyncDecision WaitFor(TimeSpan wait) => new(false, false, wait);
}
