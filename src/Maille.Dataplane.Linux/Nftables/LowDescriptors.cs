using Maille.Dataplane.Linux.Interop;

namespace Maille.Dataplane.Linux.Nftables;

/// <summary>
/// A few descriptor numbers below 1,024 held in reserve (each a copy of <c>/dev/null</c>) for libnftables' netlink
/// sockets. libnftables 1.0.6 (Debian 12) waits for the kernel's answer with <c>select()</c>, and glibc aborts the
/// whole process ("bit out of range 0 - FD_SETSIZE on fd_set") when the socket's number is 1,024 or more. A lab
/// daemon holds a descriptor per served port, so a context made after its pods' ports are open gets such a number;
/// <see cref="NftContext"/> then moves its socket onto a reserved number. Reserved at the first use, or earlier with
/// <see cref="Reserve"/>: the lab daemon does so at start, while its numbers are still small.
/// </summary>
public static class LowDescriptors
{
    /// <summary>FD_SETSIZE: the numbers <c>select()</c> accepts are below this.</summary>
    public const int SelectLimit = 1024;

    /// <summary>How many numbers are kept: two contexts per node (Service proxy, policy enforcer) of 32 nodes.</summary>
    private const int Size = 64;

    private static readonly Lock Gate = new();
    private static readonly Stack<int> Free = new();
    private static int _devNull = -1;

    /// <summary>Reserves the numbers, once; later calls do nothing.</summary>
    public static void Reserve()
    {
        lock (Gate)
        {
            if (_devNull >= 0)
            {
                return;
            }

            _devNull = Libc.Open("/dev/null", Libc.ORdOnly | Libc.OCloExec, 0);
            if (_devNull < 0)
            {
                throw Libc.LastError("open /dev/null");
            }

            for (var i = 0; i < Size; i++)
            {
                var copy = Libc.Fcntl(_devNull, Libc.FDupFdCloExec, 0);
                if (copy >= 0 && copy < SelectLimit)
                {
                    Free.Push(copy);
                }
                else if (copy >= 0)
                {
                    Libc.Close(copy);
                }
            }
        }
    }

    /// <summary>Moves <paramref name="descriptor"/> onto a reserved number and returns it, or null when none is left.</summary>
    public static int? Take(int descriptor)
    {
        lock (Gate)
        {
            if (!Free.TryPop(out var slot))
            {
                return null;
            }

            // dup3 closes the /dev/null copy at the slot and puts the socket there in one step: no other thread can
            // take the number in between.
            if (Libc.Dup3(descriptor, slot, Libc.OCloExec) < 0)
            {
                Free.Push(slot);
                throw Libc.LastError($"dup3 {descriptor} {slot}");
            }

            Libc.Close(descriptor);
            return slot;
        }
    }

    /// <summary>Closes what was moved onto <paramref name="slot"/> by putting a copy of /dev/null there again, and keeps the number.</summary>
    public static void Return(int slot)
    {
        lock (Gate)
        {
            if (Libc.Dup3(_devNull, slot, Libc.OCloExec) < 0)
            {
                throw Libc.LastError($"dup3 /dev/null {slot}");
            }

            Free.Push(slot);
        }
    }

    /// <summary>A fresh copy of /dev/null at any number, for a library to close instead of a reserved number.</summary>
    public static int Scratch()
    {
        lock (Gate)
        {
            var copy = Libc.Fcntl(_devNull, Libc.FDupFdCloExec, 0);
            return copy >= 0 ? copy : throw Libc.LastError("dup /dev/null");
        }
    }
}
