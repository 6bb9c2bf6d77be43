using System.Runtime.InteropServices;

namespace Maille.Dataplane.Linux.Interop;

/// <summary>Owns a libnftables context (<c>struct nft_ctx *</c>) and frees it once.</summary>
internal sealed class NftContextHandle : SafeHandle
{
    public NftContextHandle()
        : base(invalidHandleValue: 0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        LibNftables.ContextFree(handle);
        return true;
    }
}
