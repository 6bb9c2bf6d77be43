using Maille.Dataplane.Linux.Interop;

namespace Maille.Dataplane.Linux.Processes;

/// <summary>
/// Waits for a process that is not this one's child to end: a pidfd (<c>pidfd_open</c>) turns readable when the process
/// exits, so a thread sleeps in <c>poll</c> until then instead of reading <c>/proc</c> on a timer, and the end is seen
/// at once. An eventfd beside it lets a cancellation wake that thread.
/// </summary>
public sealed class ProcessExitWatch : IDisposable
{
    /// <summary>ESRCH.</summary>
    private const int NoSuchProcess = 3;

    private readonly FileDescriptorHandle _process;
    private readonly WakeablePoll _poll = new();

    private ProcessExitWatch(FileDescriptorHandle process) => _process = process;

    /// <summary>
    /// A watch of the process <paramref name="pid"/> names now; null when none runs. Whether it is the process the caller
    /// means (pids are reused) is for the caller to check after this returns: the descriptor holds the one it names.
    /// </summary>
    /// <exception cref="IOException">This kernel or C library has no pidfd.</exception>
    public static ProcessExitWatch? Open(int pid)
    {
        var process = Libc.PidFdOpen(pid, 0);
        if (process < 0)
        {
            var error = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            return error == NoSuchProcess ? null : throw Libc.LastError($"pidfd_open {pid}");
        }

        return new ProcessExitWatch(new FileDescriptorHandle(process));
    }

    /// <summary>Completes when the process has ended; cancelled by <paramref name="cancellationToken"/>.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => Task.Factory.StartNew(
        () =>
        {
            using var wake = cancellationToken.Register(_poll.Wake);
            if (_poll.Wait(_process.Number, -1, "pidfd") != WakeablePoll.Outcome.Readable)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        },
        CancellationToken.None,
        TaskCreationOptions.LongRunning,
        TaskScheduler.Default);

    public void Dispose()
    {
        _process.Dispose();
        _poll.Dispose();
    }
}
