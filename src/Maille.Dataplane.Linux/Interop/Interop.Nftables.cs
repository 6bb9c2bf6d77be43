using System.Runtime.InteropServices;

namespace Maille.Dataplane.Linux.Interop;

/// <summary>
/// libnftables (<c>libnftables.so.1</c>, from the nftables package): the library the <c>nft</c> command is built on.
/// Called in-process, one transaction costs a fraction of a millisecond instead of a process start.
/// </summary>
internal static partial class LibNftables
{
    internal const string Library = "libnftables.so.1";

    /// <summary>NFT_CTX_DEFAULT.</summary>
    internal const uint DefaultFlags = 0;

    [LibraryImport(Library, EntryPoint = "nft_ctx_new")]
    internal static partial NftContextHandle ContextNew(uint flags);

    [LibraryImport(Library, EntryPoint = "nft_ctx_free")]
    internal static partial void ContextFree(nint context);

    [LibraryImport(Library, EntryPoint = "nft_ctx_buffer_output")]
    internal static partial int BufferOutput(NftContextHandle context);

    [LibraryImport(Library, EntryPoint = "nft_ctx_buffer_error")]
    internal static partial int BufferError(NftContextHandle context);

    [LibraryImport(Library, EntryPoint = "nft_ctx_get_output_buffer")]
    internal static partial nint GetOutputBuffer(NftContextHandle context);

    [LibraryImport(Library, EntryPoint = "nft_ctx_get_error_buffer")]
    internal static partial nint GetErrorBuffer(NftContextHandle context);

    /// <summary>libmnl's <c>mnl_socket_get_fd</c>: the descriptor of a <c>struct mnl_socket *</c>.</summary>
    [LibraryImport("libmnl.so.0", EntryPoint = "mnl_socket_get_fd")]
    internal static partial int MnlSocketDescriptor(nint socket);

    /// <summary>Runs the commands in <paramref name="buffer"/> as one transaction; 0 on success.</summary>
    [LibraryImport(Library, EntryPoint = "nft_run_cmd_from_buffer", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int RunCommandFromBuffer(NftContextHandle context, string buffer);
}
