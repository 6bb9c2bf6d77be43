namespace Maille.Lab.Observe;

/// <summary>The bounds of a <see cref="FlowObserver"/>'s memory; what does not fit is counted and said, never kept.</summary>
public sealed record FlowObserverOptions
{
    /// <summary>Events read from the kernels and not yet resolved (<c>maille up --flow-queue</c>).</summary>
    public int QueueCapacity { get; init; } = 65_536;

    /// <summary>Recent events kept for <c>maille observe</c> without <c>--follow</c>.</summary>
    public int HistoryCapacity { get; init; } = 10_000;

    /// <summary>Events waiting for one <c>--follow</c> client.</summary>
    public int StreamCapacity { get; init; } = 16_384;

    /// <summary>Each node's netlink receive buffers: what the kernel holds while the daemon is behind.</summary>
    public int ReceiveBufferBytes { get; init; } = 8 << 20;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(QueueCapacity, 1, nameof(QueueCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(HistoryCapacity, 1, nameof(HistoryCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(StreamCapacity, 1, nameof(StreamCapacity));
    }
}
