using System.Runtime.ExceptionServices;

namespace Maille.Dataplane.Linux.Netns;

/// <summary>
/// Runs work on a dedicated, short-lived thread. Switching network namespace (setns, unshare) changes only the
/// calling thread, so such work must never run on a pool thread: the thread here exits when the work is done,
/// and with it whatever namespace it had switched to.
/// </summary>
internal static class NamespaceThread
{
    public static T Run<T>(string name, Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception exception)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }
}
