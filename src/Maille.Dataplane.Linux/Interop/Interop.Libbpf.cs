using System.Runtime.InteropServices;

namespace Maille.Dataplane.Linux.Interop;

/// <summary>
/// libbpf (<c>libbpf.so.1</c>, Debian's <c>libbpf1</c> 1.1): opens a compiled BPF object (ELF with BTF), creates its
/// maps, loads its programs through the verifier, attaches them as <c>bpf_link</c>s, and wraps the map syscalls.
/// libbpf 1.x reports errors as a negative errno from int functions and as NULL with errno set from pointer ones.
/// </summary>
internal static partial class LibBpf
{
    internal const string Library = "libbpf.so.1";

    [LibraryImport(Library, EntryPoint = "bpf_object__open_file", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint ObjectOpenFile(string path, nint options);

    [LibraryImport(Library, EntryPoint = "bpf_object__load")]
    internal static partial int ObjectLoad(nint bpfObject);

    [LibraryImport(Library, EntryPoint = "bpf_object__close")]
    internal static partial void ObjectClose(nint bpfObject);

    [LibraryImport(Library, EntryPoint = "bpf_object__find_program_by_name", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint FindProgramByName(nint bpfObject, string name);

    [LibraryImport(Library, EntryPoint = "bpf_object__find_map_by_name", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint FindMapByName(nint bpfObject, string name);

    [LibraryImport(Library, EntryPoint = "bpf_map__fd")]
    internal static partial int MapDescriptor(nint map);

    [LibraryImport(Library, EntryPoint = "bpf_program__fd")]
    internal static partial int ProgramDescriptor(nint program);

    /// <summary>Attaches to the cgroup open as <paramref name="cgroupFd"/> as a bpf_link (BPF_F_ALLOW_MULTI): it stays attached while the link's descriptor is open.</summary>
    [LibraryImport(Library, EntryPoint = "bpf_program__attach_cgroup", SetLastError = true)]
    internal static partial nint AttachCgroup(nint program, int cgroupFd);

    [LibraryImport(Library, EntryPoint = "bpf_link__destroy")]
    internal static partial int LinkDestroy(nint link);

    /// <summary>The object's next map after <paramref name="previous"/> (0: the first); 0 after the last.</summary>
    [LibraryImport(Library, EntryPoint = "bpf_object__next_map")]
    internal static partial nint NextMap(nint bpfObject, nint previous);

    [LibraryImport(Library, EntryPoint = "bpf_map__name")]
    internal static partial nint MapName(nint map);

    /// <summary>Before the load: the map is the kernel map <paramref name="fd"/> (duplicated) instead of a new one.</summary>
    [LibraryImport(Library, EntryPoint = "bpf_map__reuse_fd")]
    internal static partial int MapReuseDescriptor(nint map, int fd);

    /// <summary>A descriptor of the object pinned at <paramref name="path"/> in a bpffs.</summary>
    [LibraryImport(Library, EntryPoint = "bpf_obj_get", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ObjectGet(string path);

    /// <summary>Pins the object <paramref name="fd"/> at <paramref name="path"/> in a bpffs: it lives while the pin does.</summary>
    [LibraryImport(Library, EntryPoint = "bpf_obj_pin", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ObjectPin(int fd, string path);

    [LibraryImport(Library, EntryPoint = "bpf_link__pin", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int LinkPin(nint link, string path);

    /// <summary>The link pinned at <paramref name="path"/>; NULL with errno set when there is none.</summary>
    [LibraryImport(Library, EntryPoint = "bpf_link__open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint LinkOpen(string path);

    /// <summary>Replaces the program of a link in place (BPF_LINK_UPDATE): the hook never goes without one.</summary>
    [LibraryImport(Library, EntryPoint = "bpf_link__update_program")]
    internal static partial int LinkUpdateProgram(nint link, nint program);

    [LibraryImport(Library, EntryPoint = "bpf_map_update_elem")]
    internal static unsafe partial int MapUpdate(int fd, byte* key, byte* value, ulong flags);

    [LibraryImport(Library, EntryPoint = "bpf_map_delete_elem")]
    internal static unsafe partial int MapDelete(int fd, byte* key);

    /// <summary>
    /// Updates <paramref name="count"/> elements in one call (keys and values packed back to back); on an error,
    /// <paramref name="count"/> says how many were written. <paramref name="options"/> may be null (no element flags).
    /// Hash and array maps have it (kernel 5.6); a map type without it answers -ENOTSUPP (524) or -EINVAL.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "bpf_map_update_batch")]
    internal static unsafe partial int MapUpdateBatch(int fd, byte* keys, byte* values, ref uint count, nint options);

    /// <summary>Deletes <paramref name="count"/> keys in one call; stops at the first one the map does not hold (-ENOENT), <paramref name="count"/> saying how many went.</summary>
    [LibraryImport(Library, EntryPoint = "bpf_map_delete_batch")]
    internal static unsafe partial int MapDeleteBatch(int fd, byte* keys, ref uint count, nint options);

    /// <summary>The key after <paramref name="key"/> (the first one when it is null); -ENOENT after the last.</summary>
    [LibraryImport(Library, EntryPoint = "bpf_map_get_next_key")]
    internal static unsafe partial int MapNextKey(int fd, byte* key, byte* next);

    [LibraryImport(Library, EntryPoint = "bpf_map_lookup_elem")]
    internal static unsafe partial int MapLookup(int fd, byte* key, byte* value);

    /// <summary>Creates the clsact qdisc of the hook's interface (-EEXIST when it is there already).</summary>
    [LibraryImport(Library, EntryPoint = "bpf_tc_hook_create")]
    internal static partial int TcHookCreate(ref TcHook hook);

    /// <summary>With both attach points: deletes the clsact qdisc, and with it every filter on it.</summary>
    [LibraryImport(Library, EntryPoint = "bpf_tc_hook_destroy")]
    internal static partial int TcHookDestroy(ref TcHook hook);

    [LibraryImport(Library, EntryPoint = "bpf_tc_attach")]
    internal static partial int TcAttach(ref TcHook hook, ref TcOptions options);

    /// <summary>
    /// A reader of the ring buffer map <paramref name="mapFd"/> (it maps the ring into this process): each record goes to
    /// <paramref name="sample"/> (context, the record, its size; a negative answer stops the poll) during
    /// <see cref="RingBufferPoll"/>. NULL with errno set on error.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "ring_buffer__new", SetLastError = true)]
    internal static unsafe partial nint RingBufferNew(int mapFd, delegate* unmanaged<nint, nint, nuint, int> sample, nint context, nint options);

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> for records and hands every waiting one to the callback: their count, or a negative errno.</summary>
    [LibraryImport(Library, EntryPoint = "ring_buffer__poll")]
    internal static partial int RingBufferPoll(nint ringBuffer, int timeoutMilliseconds);

    [LibraryImport(Library, EntryPoint = "ring_buffer__free")]
    internal static partial void RingBufferFree(nint ringBuffer);

    internal const int TcIngress = 1;
    internal const int TcEgress = 2;

    /// <summary>libbpf's <c>struct bpf_tc_hook</c> (1.1): sz, ifindex, attach_point, parent.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct TcHook
    {
        public nuint Size;
        public int InterfaceIndex;
        public int AttachPoint;
        public uint Parent;
        private readonly uint _pad;
    }

    /// <summary>libbpf's <c>struct bpf_tc_opts</c> (1.1): sz, prog_fd, flags, prog_id, handle, priority.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct TcOptions
    {
        public nuint Size;
        public int ProgramDescriptor;
        public uint Flags;
        public uint ProgramId;
        public uint Handle;
        public uint Priority;
        private readonly uint _pad;
    }
}
