using System.Collections.Concurrent;

namespace Maille.Dataplane.Linux.Netns;

/// <summary>
/// One long-lived thread inside a network namespace that runs work items one at a time, for state that belongs to the
/// namespace of the thread that made it (a libnftables context's netlink socket) and for child processes that must
/// start there (a process inherits its parent thread's namespace). <see cref="Invoke{T}"/> blocks until the item ran
/// and rethrows its exception. Disposing runs the queued items, then ends the thread.
/// </summary>
internal sealed class NamespaceWorker : IDisposable
{
    private readonly BlockingCollection<Action> _queue = [];
    private readonly Thread _thread;

    public NamespaceWorker(NetworkNamespace target, string name)
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _thread = new Thread(() =>
        {
            try
            {
                target.Enter();
            }
            catch (Exception exception)
            {
                entered.SetException(exception);
                return;
            }

            entered.SetResult();
            foreach (var item in _queue.GetConsumingEnumerable())
            {
                item();
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        _thread.Start();
        entered.Task.GetAwaiter().GetResult();
    }

    public T Invoke<T>(Func<T> work) => QueuedWork.Run(_queue, work);

    public void Dispose()
    {
        if (!_queue.IsAddingCompleted)
        {
            _queue.CompleteAdding();
            _thread.Join(TimeSpan.FromSeconds(30));
            _queue.Dispose();
        }
    }
}
