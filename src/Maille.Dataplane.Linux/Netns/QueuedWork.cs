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
        // and callers are often thread-pool threads. With each of them blocked at once (spin count 0, tried in session 24)
        // a node health monitor's ticks on the pool came late by seconds while labs were built beside it, most likely
        // for want of pool threads.
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
