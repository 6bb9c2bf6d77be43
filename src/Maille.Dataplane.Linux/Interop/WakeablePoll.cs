namespace Maille.Dataplane.Linux.Interop;

/// <summary>
/// A thread's wait in <c>poll</c> on one descriptor that another thread can end early: an eventfd polled beside it.
/// What <see cref="Nftables.NftChangeMonitor"/> and <see cref="Processes.ProcessExitWatch"/> sleep in.
/// </summary>
internal sealed class WakeablePoll : IDisposable
{
    private readonly FileDescriptorHandle _wake;

    public WakeablePoll()
    {
        var wake = Libc.EventFd(0, Libc.EventFdCloExecNonBlock);
        if (wake < 0)
        {
            throw Libc.LastError("eventfd");
        }

        _wake = new FileDescriptorHandle(wake);
    }

    /// <summary>How a wait ended.</summary>
    public enum Outcome
    {
        Readable,
        Woken,
        TimedOut,
    }

    /// <summary>Waits until <paramref name="descriptor"/> is readable, <see cref="Wake"/> is called, or the timeout (-1: none) passes.</summary>
    public unsafe Outcome Wait(int descriptor, int timeoutMilliseconds, string what)
    {
        var descriptors = stackalloc Libc.PollDescriptor[2];
        while (true)
        {
            descriptors[0] = new Libc.PollDescriptor { Descriptor = descriptor, Events = Libc.PollIn };
            descriptors[1] = new Libc.PollDescriptor { Descriptor = _wake.Number, Events = Libc.PollIn };
            var ready = Libc.Poll(descriptors, 2, timeoutMilliseconds);
            if (ready < 0)
            {
                if (System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == Libc.ErrorInterrupted)
                {
                    continue;
                }

                throw Libc.LastError($"poll {what}");
            }

            // A wake-up wins: whoever called it wants the waiter back, whatever else is waiting.
            return ready == 0 ? Outcome.TimedOut : descriptors[1].ReturnedEvents != 0 ? Outcome.Woken : Outcome.Readable;
        }
    }

    /// <summary>Ends the current wait and every later one (the eventfd stays readable).</summary>
    public unsafe void Wake()
    {
        var one = 1UL;
        _ = Libc.Write(_wake, (byte*)&one, sizeof(ulong));
    }

    public void Dispose() => _wake.Dispose();
}
