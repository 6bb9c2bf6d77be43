namespace Maille.Dataplane.Linux.Flows;

/// <summary>
/// Where a <see cref="KernelFlowReader"/> delivers what it read, on its own thread: calls must return quickly (hand the
/// events to a bounded queue) or the kernel's socket buffer fills and events are lost.
/// </summary>
public interface IKernelFlowSink
{
    void Connections(string node, IReadOnlyList<ConntrackEvent> events);

    void Denials(string node, IReadOnlyList<NflogPacket> packets);

    /// <summary>
    /// The kernel could not deliver events from <paramref name="source"/>: <paramref name="count"/> exactly when
    /// <paramref name="exact"/> (a gap in nfnetlink_log's sequence numbers), else at least that many (ENOBUFS).
    /// </summary>
    void Lost(string node, KernelFlowSource source, long count, bool exact);

    /// <summary>The reader stopped on an error it cannot recover from.</summary>
    void Failed(string node, Exception error);
}
