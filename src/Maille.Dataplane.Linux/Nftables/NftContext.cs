using System.Runtime.InteropServices;
using Maille.Dataplane.Linux.Interop;

namespace Maille.Dataplane.Linux.Nftables;

/// <summary>
/// An in-process libnftables context with output and errors buffered. Its netlink socket belongs to the network
/// namespace of the thread that first uses it, so create and use it on a thread inside the node's namespace
/// (<see cref="NodeServiceProxy"/> keeps one such thread). Not thread-safe.
/// </summary>
internal sealed class NftContext : IDisposable
{
    private readonly NftContextHandle handle;

    private NftContext(NftContextHandle handle) => this.handle = handle;

    /// <summary>Whether libnftables can be loaded here (the nftables package is installed).</summary>
    public static bool IsAvailable => NativeLibrary.TryLoad(LibNftables.Library, out var library) && Free(library);

    public static NftContext Create()
    {
        var handle = LibNftables.ContextNew(LibNftables.DefaultFlags);
        if (handle.IsInvalid)
        {
            throw new InvalidOperationException("nft_ctx_new failed");
        }

        if (LibNftables.BufferOutput(handle) != 0 || LibNftables.BufferError(handle) != 0)
        {
            handle.Dispose();
            throw new InvalidOperationException("nft_ctx_buffer_output/error failed");
        }

        return new NftContext(handle);
    }

    /// <summary>Runs <paramref name="commands"/> as one atomic transaction and returns nft's own output and error text.</summary>
    public NftResult Run(string commands)
    {
        var code = LibNftables.RunCommandFromBuffer(handle, commands);
        var output = Marshal.PtrToStringUTF8(LibNftables.GetOutputBuffer(handle)) ?? "";
        var error = Marshal.PtrToStringUTF8(LibNftables.GetErrorBuffer(handle)) ?? "";
        return new NftResult(code == 0, output, error);
    }

    public void Dispose() => handle.Dispose();

    private static bool Free(nint library)
    {
        NativeLibrary.Free(library);
        return true;
    }
}
