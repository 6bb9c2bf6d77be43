using System.Runtime.ExceptionServices;

namespace Maille.Dataplane.Linux.Netns;

/// <summary>Hands work to the dedicated thread(s) serving a queue, waits until it ran, and returns its result or rethrows.</summary>
internal static class QueuedWork
{
    public static T Run<T>(WorkQueue queue, Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        // The default spin before blocking stays: most items are a socket made in a namespace (tens of microseconds),
        // and callers are often thread-pool threads. Blocking each of them at once (spin count 0, tried in session 24)
        // left the pool short of threads while a lab was built, and a node health monitor's ticks on it late by seconds.
        using var done = new ManualResetEventSlim();
        queue.Add(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception exception)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
            finally
            {
                done.Set();
            }
        });
        done.Wait();
        failure?.Throw();
        return result;
    }
}
