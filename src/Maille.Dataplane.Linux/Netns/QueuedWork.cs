using System.Runtime.ExceptionServices;

namespace Maille.Dataplane.Linux.Netns;

/// <summary>Hands work to the dedicated thread(s) serving a queue, waits until it ran, and returns its result or rethrows.</summary>
internal static class QueuedWork
{
    public static T Run<T>(WorkQueue queue, Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        // No spinning while the item runs: items are nft transactions and socket calls, and a spin's sched_yield calls
        // take the CPU the item needs on two cores.
        using var done = new ManualResetEventSlim(false, spinCount: 0);
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
