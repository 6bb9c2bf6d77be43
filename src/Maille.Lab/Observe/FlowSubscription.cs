using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Maille.Lab.Observe;

/// <summary>
/// One <c>--follow</c> client's bounded queue. When the client reads more slowly than flows come, what does not fit is
/// dropped and counted, and the client reads a <see cref="FlowLoss"/> of source <c>stream</c> before the next event.
/// </summary>
internal sealed class FlowSubscription(int capacity, TimeProvider time)
{
    private readonly Channel<FlowEvent> _events = Channel.CreateBounded<FlowEvent>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private long _dropped;

    public void Offer(FlowEvent item)
    {
        if (!_events.Writer.TryWrite(item))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    public void Complete() => _events.Writer.TryComplete();

    /// <summary>Everything waiting, as one batch each time something is (so a client writes and flushes once per batch).</summary>
    public async IAsyncEnumerable<IReadOnlyList<FlowEvent>> ReadBatchesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long reported = 0;
        var reader = _events.Reader;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            var batch = new List<FlowEvent>();
            while (batch.Count < 4096 && reader.TryRead(out var item))
            {
                var dropped = Interlocked.Read(ref _dropped);
                if (dropped > reported)
                {
                    batch.Add(new FlowLoss { Time = time.GetUtcNow(), Source = "stream", Count = dropped - reported, Exact = true });
                    reported = dropped;
                }

                batch.Add(item);
            }

            yield return batch;
        }
    }
}
