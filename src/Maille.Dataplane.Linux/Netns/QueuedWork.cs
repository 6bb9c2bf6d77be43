using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Maille.Dataplane.Linux.Netns;

/// <summary>Hands work to the dedicated thread(s) serving a queue, waits until it ran, and returns its result or rethrows.</summary>
internal static class QueuedWork
{
    public static T Run<T>(BlockingCollection<Action> queue, Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
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
