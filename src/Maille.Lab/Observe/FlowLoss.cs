namespace Maille.Lab.Observe;

/// <summary>
/// Events that never reached the output: <see cref="Count"/> of them from <see cref="Source"/> (on <see cref="Node"/>
/// for the kernel's), exactly when <see cref="Exact"/>, else at least that many.
/// </summary>
public sealed record FlowLoss : FlowEvent
{
    /// <summary><c>conntrack</c> (the socket's buffer overflowed: ENOBUFS, count unknown), <c>nflog</c> (a gap in the log group's sequence numbers, exact), <c>queue</c> (the daemon's queue was full), <c>stream</c> (this client read too slowly).</summary>
    public required string Source { get; init; }

    public string? Node { get; init; }

    public required long Count { get; init; }

    public required bool Exact { get; init; }
}
