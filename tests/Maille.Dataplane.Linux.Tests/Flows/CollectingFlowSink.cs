using System.Collections.Concurrent;
using Maille.Dataplane.Linux.Flows;

namespace Maille.Dataplane.Linux.Tests.Flows;

/// <summary>Keeps what a kernel flow reader delivers, for a test to look at from its own thread.</summary>
internal sealed class CollectingFlowSink : IKernelFlowSink
{
    public ConcurrentQueue<ConntrackEvent> Seen { get; } = new();

    public ConcurrentQueue<NflogPacket> Logged { get; } = new();

    public ConcurrentQueue<(KernelFlowSource Source, long Count, bool Exact)> Losses { get; } = new();

    public ConcurrentQueue<Exception> Failures { get; } = new();

    public void Connections(string node, IReadOnlyList<ConntrackEvent> events)
    {
        foreach (var e in events)
        {
            Seen.Enqueue(e);
        }
    }

    public void Denials(string node, IReadOnlyList<NflogPacket> packets)
    {
        foreach (var p in packets)
        {
            Logged.Enqueue(p);
        }
    }

    public void Lost(string node, KernelFlowSource source, long count, bool exact) => Losses.Enqueue((source, count, exact));

    public void Failed(string node, Exception error) => Failures.Enqueue(error);
}
