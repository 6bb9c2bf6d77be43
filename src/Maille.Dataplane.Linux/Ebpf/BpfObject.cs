using Maille.Dataplane.Linux.Interop;

namespace Maille.Dataplane.Linux.Ebpf;

/// <summary>
/// A compiled BPF object opened and loaded by libbpf: its maps are created and its programs verified. Programs are
/// attached with <see cref="AttachToCgroup"/> as bpf_links, which the kernel detaches when their descriptors close: on
/// <see cref="Dispose"/>, and as well when the process dies, so a crashed daemon leaves no program attached.
/// Loaded with a pin directory (a bpffs folder the lab owns; <c>maille agent</c> processes of an ebpf lab), the object's
/// maps and links are pinned there instead, so they outlive the process: the next process that loads the object with
/// the same directory finds the maps (their entries still steering traffic) and the links, and swaps its own programs
/// into those links in place (<c>BPF_LINK_UPDATE</c>), so the hooks are never empty.
/// </summary>
public sealed class BpfObject : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<nint> _links = [];
    private readonly Dictionary<string, BpfMap> _maps = new(StringComparer.Ordinal);
    private readonly string? _pinDirectory;
    private nint _object;

    private BpfObject(string path, nint handle, string? pinDirectory)
    {
        Path = path;
        _object = handle;
        _pinDirectory = pinDirectory;
    }

    public string Path { get; }

    /// <summary>
    /// Some maps were pinned by an earlier load (an agent process restarted) and are used again: they hold what that
    /// process wrote, so a first full sync must delete what it no longer wants instead of assuming empty maps.
    /// </summary>
    public bool MapsReused { get; private init; }

    /// <summary>The names of the programs attached so far, with the hook each is attached to.</summary>
    public IReadOnlyList<string> AttachedPrograms { get; private set; } = [];

    /// <summary>
    /// Opens <paramref name="path"/> and loads it into the kernel (maps created, programs verified). With
    /// <paramref name="pinDirectory"/> (a folder of a bpffs) each named map pinned there is used instead of a new one, and
    /// each new one is pinned there; its links too (<see cref="AttachToCgroup"/>).
    /// </summary>
    public static BpfObject Load(string path, string? pinDirectory = null)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"the BPF object {path} was not built: {BpfError.Install}, then build again", path);
        }

        nint handle;
        try
        {
            handle = LibBpf.ObjectOpenFile(path, 0);
        }
        catch (DllNotFoundException e)
        {
            throw new IOException($"libbpf ({LibBpf.Library}) cannot be loaded: {BpfError.Install}", e);
        }

        if (handle == 0)
        {
            throw BpfError.FromErrno($"bpf_object__open_file {path}");
        }

        var reused = false;
        try
        {
            if (pinDirectory is not null)
            {
                Directory.CreateDirectory(pinDirectory);
                reused = ReusePinnedMaps(handle, pinDirectory);
            }

            var code = LibBpf.ObjectLoad(handle);
            if (code < 0)
            {
                throw BpfError.FromCode($"loading {path} (libbpf writes the verifier's log on stderr)", code);
            }

            if (pinDirectory is not null)
            {
                PinNewMaps(handle, pinDirectory);
            }
        }
        catch
        {
            LibBpf.ObjectClose(handle);
            throw;
        }

        return new BpfObject(path, handle, pinDirectory) { MapsReused = reused };
    }

    /// <summary>
    /// The object's own maps by name (not libbpf's internal <c>.rodata</c>/<c>.bss</c> maps, which the object itself
    /// fills at load: their names hold a dot).
    /// </summary>
    private static IEnumerable<(nint Map, string Name)> NamedMaps(nint handle)
    {
        for (var map = LibBpf.NextMap(handle, 0); map != 0; map = LibBpf.NextMap(handle, map))
        {
            if (System.Runtime.InteropServices.Marshal.PtrToStringUTF8(LibBpf.MapName(map)) is { } name && !name.Contains('.', StringComparison.Ordinal))
            {
                yield return (map, name);
            }
        }
    }

    /// <summary>Before the load: each map pinned in <paramref name="directory"/> under its name stands for the object's; true when one did.</summary>
    private static bool ReusePinnedMaps(nint handle, string directory)
    {
        var reused = false;
        foreach (var (map, name) in NamedMaps(handle))
        {
            var pin = System.IO.Path.Combine(directory, name);
            if (!File.Exists(pin))
            {
                continue;
            }

            var fd = LibBpf.ObjectGet(pin);
            if (fd < 0)
            {
                throw BpfError.FromErrno($"opening the pinned map {pin}");
            }

            // bpf_map__reuse_fd keeps a duplicate; a map whose type or sizes differ (another build) is refused here.
            var code = LibBpf.MapReuseDescriptor(map, fd);
            _ = Libc.Close(fd);
            if (code < 0)
            {
                throw BpfError.FromCode($"using the pinned map {pin} (remove the lab's bpf folder if the programs changed)", code);
            }

            reused = true;
        }

        return reused;
    }

    /// <summary>After the load: pins each map not pinned yet.</summary>
    private static void PinNewMaps(nint handle, string directory)
    {
        foreach (var (map, name) in NamedMaps(handle))
        {
            var pin = System.IO.Path.Combine(directory, name);
            if (File.Exists(pin))
            {
                continue;
            }

            var code = LibBpf.ObjectPin(LibBpf.MapDescriptor(map), pin);
            if (code < 0)
            {
                throw BpfError.FromCode($"pinning the map {name} at {pin}", code);
            }
        }
    }

    /// <summary>The map <paramref name="name"/> with keys of <paramref name="keySize"/> bytes.</summary>
    public BpfMap Map(string name, int keySize)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_object == 0, this);
            if (_maps.TryGetValue(name, out var map))
            {
                return map;
            }

            var pointer = LibBpf.FindMapByName(_object, name);
            if (pointer == 0)
            {
                throw new InvalidOperationException($"{Path} has no map {name}");
            }

            return _maps[name] = new BpfMap(name, LibBpf.MapDescriptor(pointer), keySize);
        }
    }

    /// <summary>The descriptor of the loaded program <paramref name="name"/> (owned by the object: valid while it is open).</summary>
    public int ProgramDescriptor(string name)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_object == 0, this);
            var program = LibBpf.FindProgramByName(_object, name);
            return program == 0 ? throw new InvalidOperationException($"{Path} has no program {name}") : LibBpf.ProgramDescriptor(program);
        }
    }

    /// <summary>Attaches each program of <paramref name="programs"/> to the cgroup <paramref name="cgroup"/> (the hook is its section's).</summary>
    public void AttachToCgroup(LabCgroup cgroup, IEnumerable<string> programs)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_object == 0, this);
            using var directory = cgroup.Open();
            var attached = new List<string>(AttachedPrograms);
            foreach (var name in programs)
            {
                var program = LibBpf.FindProgramByName(_object, name);
                if (program == 0)
                {
                    throw new InvalidOperationException($"{Path} has no program {name}");
                }

                var pin = PinnedLink(name);
                var link = pin is null ? 0 : TakeOverPinnedLink(pin, program);
                if (link == 0)
                {
                    link = LibBpf.AttachCgroup(program, directory.Number);
                    if (link == 0)
                    {
                        throw BpfError.FromErrno($"attaching {name} to cgroup {cgroup.Path}");
                    }

                    if (pin is not null)
                    {
                        var code = LibBpf.LinkPin(link, pin);
                        if (code < 0)
                        {
                            _ = LibBpf.LinkDestroy(link);
                            throw BpfError.FromCode($"pinning the link of {name} at {pin}", code);
                        }
                    }
                }

                _links.Add(link);
                attached.Add(name);
            }

            AttachedPrograms = attached;
        }
    }

    /// <summary>Where the link of program <paramref name="name"/> is pinned, or would be (null: this object pins nothing).</summary>
    public string? PinnedLink(string name) => _pinDirectory is null ? null : System.IO.Path.Combine(_pinDirectory, LinkPinPrefix + name);

    /// <summary>The name of a link's pin: the program's, after this prefix (maps are pinned under their own names; bpffs refuses names with a dot).</summary>
    public const string LinkPinPrefix = "link-";

    /// <summary>
    /// The link pinned at <paramref name="pin"/> by an earlier load, now running <paramref name="program"/>; 0 when there
    /// is none. A link the kernel will not update (its cgroup gone) is unpinned, so a new one takes its place.
    /// </summary>
    private static nint TakeOverPinnedLink(string pin, nint program)
    {
        if (!File.Exists(pin))
        {
            return 0;
        }

        var link = LibBpf.LinkOpen(pin);
        if (link != 0 && LibBpf.LinkUpdateProgram(link, program) == 0)
        {
            return link;
        }

        if (link != 0)
        {
            _ = LibBpf.LinkDestroy(link);
        }

        File.Delete(pin);
        return 0;
    }

    /// <summary>Detaches every program (their links close; pinned ones stay until their pins go) and frees the maps.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_object == 0)
            {
                return;
            }

            foreach (var link in _links)
            {
                // Closing the link detaches the program; there is nothing to do when the kernel says otherwise.
                _ = LibBpf.LinkDestroy(link);
            }

            _links.Clear();
            LibBpf.ObjectClose(_object);
            _object = 0;
            AttachedPrograms = [];
        }
    }
}
