using Maille.Dataplane.Linux.Interop;

namespace Maille.Dataplane.Linux.Ebpf;

/// <summary>
/// tc programs on an interface of the calling thread's namespace, through libbpf's <c>bpf_tc_hook_create</c>,
/// <c>bpf_tc_attach</c> and <c>bpf_tc_hook_destroy</c> (a clsact qdisc and one direct-action filter per direction).
/// Callers run it inside a lab's node namespace, never the host's.
/// </summary>
internal static class TcAttachment
{
    /// <summary>Makes the interface's clsact qdisc (one that exists already is kept).</summary>
    public static void CreateHook(int index, string interfaceName)
    {
        var hook = Hook(index, LibBpf.TcIngress | LibBpf.TcEgress);
        var code = LibBpf.TcHookCreate(ref hook);
        if (code < 0 && code != -17)
        {
            throw BpfError.FromCode($"creating the clsact qdisc of {interfaceName}", code);
        }
    }

    /// <summary>Attaches <paramref name="program"/> (a descriptor) at <paramref name="attachPoint"/>; attaching again replaces the filter.</summary>
    public static void Attach(int index, int attachPoint, int program, string programName, string interfaceName)
    {
        var hook = Hook(index, attachPoint);
        var options = new LibBpf.TcOptions
        {
            Size = (nuint)System.Runtime.InteropServices.Marshal.SizeOf<LibBpf.TcOptions>(),
            ProgramDescriptor = program,
            Handle = 1,
            Priority = 1,
            // BPF_TC_F_REPLACE: attaching again (after a restart) replaces the filter.
            Flags = 1,
        };
        var code = LibBpf.TcAttach(ref hook, ref options);
        if (code < 0)
        {
            throw BpfError.FromCode($"attaching {programName} to {interfaceName}", code);
        }
    }

    /// <summary>Deletes the interface's clsact qdisc, and its filters with it; one already gone is not an error.</summary>
    public static void Destroy(int index, string interfaceName)
    {
        var hook = Hook(index, LibBpf.TcIngress | LibBpf.TcEgress);
        var code = LibBpf.TcHookDestroy(ref hook);
        // ENODEV/ENOENT/EINVAL: the interface (or its qdisc) is gone already.
        if (code < 0 && code is not (-19 or -2 or -22))
        {
            throw BpfError.FromCode($"removing the clsact qdisc of {interfaceName}", code);
        }
    }

    private static LibBpf.TcHook Hook(int index, int attachPoint) => new()
    {
        Size = (nuint)System.Runtime.InteropServices.Marshal.SizeOf<LibBpf.TcHook>(),
        InterfaceIndex = index,
        AttachPoint = attachPoint,
    };
}
