namespace Maille.Dataplane.Linux.L2;

/// <summary>
/// How often the monitor probes each node and how many unanswered probes in a row make it down. The defaults declare a
/// node down 450-600 ms after it stops answering (MetalLB's memberlist took about a second in issue #767; Cilium's
/// tuned leases take 2-4 s).
/// </summary>
public sealed class NodeHealthOptions
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(150);

    public int MissesBeforeDown { get; init; } = 3;

    public void Validate()
    {
        if (Interval < TimeSpan.FromMilliseconds(10) || Interval > TimeSpan.FromSeconds(10))
        {
            throw new ArgumentOutOfRangeException(nameof(Interval), Interval, "must be between 10 ms and 10 s");
        }

        if (MissesBeforeDown is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(MissesBeforeDown), MissesBeforeDown, "must be between 1 and 100");
        }
    }
}
