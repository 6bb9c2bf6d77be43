using System.Runtime.InteropServices;
using Maille.Dataplane.Linux.Interop;
using Maille.Dataplane.Nftables;

namespace Maille.Dataplane.Linux.Nftables;

/// <summary>
/// An in-process libnftables context with output and errors buffered. Its netlink socket belongs to the network
/// namespace of the thread that first uses it, so create and use it on a thread inside the node's namespace
/// (<see cref="NodeServiceProxy"/> keeps one such thread). Not thread-safe.
/// </summary>
public sealed class NftContext : IDisposable
{
    private const int AfNetlink = 16;
    private const int NetlinkNetfilter = 12;

    private readonly NftContextHandle _handle;

    /// <summary>The context's <c>struct mnl_socket *</c>, and the reserved number its socket was moved to, if it was.</summary>
    private readonly nint _socket;
    private readonly int? _movedTo;

    private NftContext(NftContextHandle handle, nint socket, int? movedTo)
    {
        _handle = handle;
        _socket = socket;
        _movedTo = movedTo;
    }

    /// <summary>The descriptor of the context's netlink socket: always below <see cref="LowDescriptors.SelectLimit"/>.</summary>
    public int SocketDescriptor => LibNftables.MnlSocketDescriptor(_socket);

    /// <summary>Whether libnftables can be loaded here (the nftables package is installed).</summary>
    public static bool IsAvailable => NativeLibrary.TryLoad(LibNftables.Library, out var library) && Free(library);

    /// <summary>
    /// Makes a context whose netlink socket has a number <c>select()</c> accepts: one at or above 1,024 is moved onto
    /// a reserved lower number (<see cref="LowDescriptors"/>), or the context is refused with an error, never left to
    /// abort the process in its first transaction.
    /// </summary>
    public static NftContext Create()
    {
        LowDescriptors.Reserve();
        var handle = LibNftables.ContextNew(LibNftables.DefaultFlags);
        if (handle.IsInvalid)
        {
            throw new InvalidOperationException("nft_ctx_new failed");
        }

        try
        {
            if (LibNftables.BufferOutput(handle) != 0 || LibNftables.BufferError(handle) != 0)
            {
                throw new InvalidOperationException("nft_ctx_buffer_output/error failed");
            }

            // struct nft_ctx begins with its struct mnl_socket * (libnftables 1.0.x), opened by nft_ctx_new. The socket
            // is checked to be a netfilter netlink socket before anything is moved, so another layout fails here.
            var socket = Marshal.ReadIntPtr(handle.DangerousGetHandle());
            var descriptor = socket == 0 ? -1 : LibNftables.MnlSocketDescriptor(socket);
            if (!IsNetfilterSocket(descriptor))
            {
                throw new InvalidOperationException("this libnftables keeps its netlink socket where Maille does not expect it (libnftables 1.0.x is)");
            }

            int? movedTo = null;
            if (descriptor >= LowDescriptors.SelectLimit)
            {
                movedTo = LowDescriptors.Take(descriptor)
                    ?? throw new InvalidOperationException($"libnftables' socket got descriptor {descriptor}, and no reserved number below {LowDescriptors.SelectLimit} is left for it (its select() cannot take more)");
                Marshal.WriteInt32(socket, movedTo.Value); // struct mnl_socket begins with its int fd
            }

            return new NftContext(handle, socket, movedTo);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="commands"/> as one atomic transaction and returns nft's own output and error text.</summary>
    public NftResult Run(string commands)
    {
        var code = LibNftables.RunCommandFromBuffer(_handle, commands);
        var output = Marshal.PtrToStringUTF8(LibNftables.GetOutputBuffer(_handle)) ?? "";
        var error = Marshal.PtrToStringUTF8(LibNftables.GetErrorBuffer(_handle)) ?? "";
        return new NftResult(code == 0, output, error);
    }

    /// <summary>
    /// Runs <paramref name="transactions"/> one after the other (<see cref="NftRulesetSteps"/>), stopping at the first
    /// the kernel refuses: null when all were accepted, else the refused one (from 1) and nft's answer.
    /// </summary>
    public (int Step, NftResult Result)? RunInOrder(IReadOnlyList<string> transactions)
    {
        for (var step = 0; step < transactions.Count; step++)
        {
            var result = Run(transactions[step]);
            if (!result.Succeeded)
            {
                return (step + 1, result);
            }
        }

        return null;
    }

    public void Dispose()
    {
        if (_movedTo is { } slot && !_handle.IsClosed)
        {
            // The library closes its socket's number when freed: hand it a scratch copy to close instead, and close the
            // socket by putting /dev/null back on the reserved number.
            Marshal.WriteInt32(_socket, LowDescriptors.Scratch());
            LowDescriptors.Return(slot);
        }

        _handle.Dispose();
    }

    private static bool IsNetfilterSocket(int descriptor)
    {
        var length = sizeof(int);
        return descriptor >= 0
            && Libc.GetSocketOption(descriptor, Libc.SolSocket, Libc.SoDomain, out var domain, ref length) == 0 && domain == AfNetlink
            && Libc.GetSocketOption(descriptor, Libc.SolSocket, Libc.SoProtocol, out var protocol, ref length) == 0 && protocol == NetlinkNetfilter;
    }

    private static bool Free(nint library)
    {
        NativeLibrary.Free(library);
        return true;
    }
}
