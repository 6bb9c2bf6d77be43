namespace Maille.Lab.Observe;

/// <summary>One line of <c>maille observe</c>: a flow (<see cref="FlowRecord"/>) or a count of events lost (<see cref="FlowLoss"/>).</summary>
public abstract record FlowEvent
{
    /// <summary>When the daemon read it from the kernel (or noticed the loss), not the packet's own time.</summary>
    public required DateTimeOffset Time { get; init; }
}
