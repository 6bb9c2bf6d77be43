using Maille.Dataplane.Linux.Interop;

namespace Maille.Dataplane.Linux.Ebpf;

/// <summary>
/// A compiled BPF object opened and loaded by libbpf: its maps are created and its programs verified. Programs are
/// attached with <see cref="AttachToCgroup"/> as bpf_links, which the kernel detaches when their descriptors close: on
/// <see cref="Dispose"/>, and as well when the process dies, so a crashed daemon leaves no program attached.
/// </summary>
public sealed class BpfObject : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<nint> _links = [];
    private readonly Dictionary<string, BpfMap> _maps = new(StringComparer.Ordinal);
    private nint _object;

    private BpfObject(string path, nint handle)
    {
        Path = path;
        _object = handle;
    }

    public string Path { get; }

    /// <summary>The names of the programs attached so far, with the hook each is attached to.</summary>
    public IReadOnlyList<string> AttachedPrograms { get; private set; } = [];

    /// <summary>Opens <paramref name="path"/> and loads it into the kernel (maps created, programs verified).</summary>
    public static BpfObject Load(string path)
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

        var code = LibBpf.ObjectLoad(handle);
        if (code < 0)
        {
            LibBpf.ObjectClose(handle);
            throw BpfError.FromCode($"loading {path} (libbpf writes the verifier's log on stderr)", code);
        }

        return new BpfObject(path, handle);
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

                var link = LibBpf.AttachCgroup(program, directory.Number);
                if (link == 0)
                {
                    throw BpfError.FromErrno($"attaching {name} to cgroup {cgroup.Path}");
                }

                _links.Add(link);
                attached.Add(name);
            }

            AttachedPrograms = attached;
        }
    }

    /// <summary>Detaches every program (their links close) and frees the maps.</summary>
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
