namespace Maille.Dataplane.Linux.Netns;

/// <summary>
/// The queue of work items that a namespace's dedicated thread(s) take one at a time. It blocks an idle thread at once
/// instead of spinning first, as <see cref="System.Collections.Concurrent.BlockingCollection{T}"/> (a
/// <see cref="SemaphoreSlim"/>) does: each of its waits spun about 140 rounds, most of them <c>sched_yield</c> calls,
/// every time a worker went idle, and a lab has a worker per node that goes idle after every nft transaction. On two
/// cores those spins took the CPU that the answer to an API change was waiting for (docs/benchmarks.md, session 24).
/// </summary>
internal sealed class WorkQueue
{
    private readonly Queue<Action> _items = new();
    // A Monitor rather than a Lock: Lock has no Wait and Pulse.
    private readonly object _gate = new();
    private bool _completed;

    /// <summary>Whether <see cref="Complete"/> was called.</summary>
    public bool IsCompleted
    {
        get
        {
            lock (_gate)
            {
                return _completed;
            }
        }
    }

    /// <exception cref="InvalidOperationException">The queue was completed.</exception>
    public void Add(Action item)
    {
        lock (_gate)
        {
            if (_completed)
            {
                throw new InvalidOperationException("the namespace's work queue is closed");
            }

            _items.Enqueue(item);
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>Takes no more items; the threads run the ones queued, then <see cref="Take"/> returns null.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>The next item, waiting for one; null once the queue is completed and empty.</summary>
    public Action? Take()
    {
        lock (_gate)
        {
            while (_items.Count == 0)
            {
                if (_completed)
                {
                    return null;
                }

                Monitor.Wait(_gate);
            }

            return _items.Dequeue();
        }
    }

    /// <summary>Runs items on the calling thread until the queue is completed and empty.</summary>
    public void Serve()
    {
        while (Take() is { } item)
        {
            item();
        }
    }
}
