using System.Net.Sockets;
using System.Text.RegularExpressions;
using Maille.Dataplane.Linux.Interop;

namespace Maille.Dataplane.Linux.Netns;

/// <summary>
/// A named network namespace, kept alive as iproute2 keeps it: a bind mount of the namespace onto
/// <c>/run/netns/&lt;name&gt;</c>, so <c>ip netns</c> sees and can enter it. An instance holds an open descriptor
/// on the namespace; disposing it closes the descriptor, <see cref="Delete"/> removes the namespace.
/// </summary>
/// <remarks>
/// Only names starting with <see cref="NamePrefix"/> can be created or deleted: whatever Maille makes carries
/// its name, and nothing else on the machine is ever removed by it.
/// </remarks>
public sealed partial class NetworkNamespace : IDisposable
{
    public const string RunDirectory = "/run/netns";
    public const string NamePrefix = "maille-";

    private static readonly Lock RunDirectoryLock = new();
    private static bool _runDirectoryReady;

    private readonly Lock _handleLock = new();
    private FileDescriptorHandle? _handle;

    private NetworkNamespace(string name, FileDescriptorHandle handle, string? path = null)
    {
        Name = name;
        _handle = handle;
        Path = path ?? System.IO.Path.Combine(RunDirectory, name);
    }

    public string Name { get; }

    public string Path { get; }

    /// <summary>
    /// The open namespace descriptor, for setns and IFLA_NET_NS_FD; a parked namespace opens it again and keeps it
    /// until it is parked once more.
    /// </summary>
    internal FileDescriptorHandle Handle
    {
        get
        {
            lock (_handleLock)
            {
                return _handle ??= Libc.OpenOrThrow(Path, Libc.ORdOnly);
            }
        }
    }

    /// <summary>Whether the namespace holds no descriptor now (<see cref="Park"/>).</summary>
    public bool IsParked
    {
        get
        {
            lock (_handleLock)
            {
                return _handle is null;
            }
        }
    }

    /// <summary>
    /// Closes the namespace's descriptor; the bind mount keeps the namespace alive, and <see cref="Enter"/> opens it by
    /// path for the moment it needs it. A lab parks its pods' namespaces: a descriptor each would cost 10,000 of the
    /// process's descriptors in a lab of 10,000 pods, where the machine may allow only 20,000 in all (docs/lab.md).
    /// Use that was under way when it was parked finishes first (the handle is reference-counted).
    /// </summary>
    public void Park()
    {
        lock (_handleLock)
        {
            _handle?.Dispose();
            _handle = null;
        }
    }

    /// <summary>Creates one named namespace, failing if the name exists.</summary>
    public static NetworkNamespace Create(string name) => CreateMany([name])[0];

    /// <summary>
    /// Creates namespaces on <paramref name="threads"/> dedicated threads, each unsharing a fresh namespace per
    /// name and bind-mounting it, then exiting. Nothing is left behind when it fails part way: namespaces already
    /// made are deleted. Two threads halve the time on a 2-core machine (file creation in /run/netns and
    /// namespace setup overlap); see docs/lab-network.md.
    /// </summary>
    /// <param name="names">The namespaces' names, each new.</param>
    /// <param name="threads">How many threads create them.</param>
    /// <param name="home">
    /// Where the namespaces are mounted instead of <see cref="RunDirectory"/>, which then holds a symbolic link for each
    /// (see <see cref="CreateHome"/>); null mounts them in <see cref="RunDirectory"/> itself, as <c>ip netns add</c> does.
    /// </param>
    public static IReadOnlyList<NetworkNamespace> CreateMany(IReadOnlyList<string> names, int threads = 1, string? home = null)
    {
        foreach (var name in names)
        {
            ValidateName(name);
        }

        EnsureRunDirectory();
        threads = Math.Clamp(threads, 1, Math.Max(1, names.Count));
        if (threads == 1)
        {
            return CreateOnDedicatedThread(names, home);
        }

        var chunks = names.Chunk((names.Count + threads - 1) / threads).ToArray();
        var made = new IReadOnlyList<NetworkNamespace>?[chunks.Length];
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        Parallel.For(0, chunks.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, chunk =>
        {
            try
            {
                made[chunk] = CreateOnDedicatedThread(chunks[chunk], home);
            }
            catch (Exception exception)
            {
                failures.Enqueue(exception);
            }
        });
        if (failures.TryPeek(out var failure))
        {
            foreach (var created in made.OfType<IReadOnlyList<NetworkNamespace>>().SelectMany(list => list))
            {
                created.Dispose();
                DeleteQuietly(created.Name);
            }

            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        return [.. made.SelectMany(list => list!)];
    }

    private static List<NetworkNamespace> CreateOnDedicatedThread(IReadOnlyList<string> names, string? home) =>
        NamespaceThread.Run("maille-netns-create", () =>
        {
            var created = new List<NetworkNamespace>(names.Count);
            try
            {
                var selfPath = $"/proc/self/task/{Libc.GetTid()}/ns/net";
                foreach (var name in names)
                {
                    created.Add(CreateOnThisThread(name, selfPath, home));
                }

                return created;
            }
            catch
            {
                foreach (var namespaceCreated in created)
                {
                    namespaceCreated.Dispose();
                    DeleteQuietly(namespaceCreated.Name);
                }

                throw;
            }
        });

    /// <summary>Opens an existing namespace by name.</summary>
    public static NetworkNamespace Open(string name)
    {
        ValidateName(name, requirePrefix: false);
        return new NetworkNamespace(name, Libc.OpenOrThrow(System.IO.Path.Combine(RunDirectory, name), Libc.ORdOnly));
    }

    /// <summary>
    /// The namespace this process was started in (its main thread's), named <paramref name="name"/> in messages: a
    /// node agent started inside its node's namespace (a lab's <c>ip netns exec</c>, a hostNetwork pod) programs that one.
    /// </summary>
    public static NetworkNamespace OfProcess(string name)
    {
        const string OwnNamespace = "/proc/self/ns/net";
        return new NetworkNamespace(name, Libc.OpenOrThrow(OwnNamespace, Libc.ORdOnly), OwnNamespace);
    }

    /// <summary>
    /// The name under <see cref="RunDirectory"/> of the namespace this process runs in (as <c>ip netns identify</c>
    /// finds it: the same namespace inode), or null when it is none of them, as the host's own namespace is not.
    /// </summary>
    public static string? NameOfProcessNamespace()
    {
        var own = new FileInfo("/proc/self/ns/net").LinkTarget;
        if (own is null || !Directory.Exists(RunDirectory))
        {
            return null;
        }

        return Directory.EnumerateFiles(RunDirectory).FirstOrDefault(path => Libc.InodeOf(path) is { } inode && own == $"net:[{inode}]") is { } found
            ? System.IO.Path.GetFileName(found)
            : null;
    }

    public static bool Exists(string name) => File.Exists(System.IO.Path.Combine(RunDirectory, name));

    /// <summary>iproute2's per-namespace configuration folder: <c>ip netns exec</c> bind-mounts its files over <c>/etc</c>.</summary>
    public const string EtcDirectory = "/etc/netns";

    /// <summary>Removes a namespace as <c>ip netns delete</c> does: detach the bind mount, unlink the file.
    /// The kernel destroys the namespace, and the veths in it, once nothing holds it open. Its
    /// <c>/etc/netns/NAME</c> folder (a <c>resolv.conf</c> the lab wrote) goes too.</summary>
    public static void Delete(string name)
    {
        ValidateName(name);
        var etc = System.IO.Path.Combine(EtcDirectory, name);
        if (Directory.Exists(etc))
        {
            Directory.Delete(etc, recursive: true);
        }

        var path = System.IO.Path.Combine(RunDirectory, name);
        var home = new FileInfo(path).LinkTarget;
        if (Libc.Umount2(path, Libc.MntDetach) != 0)
        {
            // Not mounted (a half-made namespace, or one whose home went already) is fine: the file still has to go.
            var error = Libc.LastError($"umount2 {path}");
            if (error.HResult != 22 && error.HResult != 2)
            {
                throw error;
            }
        }

        File.Delete(path);
        if (home is not null && File.Exists(home))
        {
            File.Delete(home);
        }
    }

    /// <summary>
    /// Makes <paramref name="home"/> a small tmpfs of its own in which namespaces are mounted (<see cref="CreateMany"/>),
    /// so that <see cref="DeleteHome"/> can unmount all of them at once. Each unmount waits for the kernel (about
    /// 0.6 ms, serialized, so threads do not help): one by one, a lab of 10,000 pods took 6.6 s to delete, and one
    /// unmount of their home takes milliseconds. <see cref="RunDirectory"/> keeps a symbolic link per namespace, so
    /// <c>ip netns list</c>, <c>exec</c> and <c>delete</c> still find them by name. Shared, as iproute2 makes
    /// <see cref="RunDirectory"/>: an unmount reaches the copies in the mount namespaces of <c>ip netns exec</c>.
    /// </summary>
    public static void CreateHome(string home)
    {
        Directory.CreateDirectory(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (Libc.Mount("maille-netns", home, "tmpfs", Libc.MsNoSuid | Libc.MsNoDev | Libc.MsNoExec, 0) != 0)
        {
            throw Libc.LastError($"mount -t tmpfs {home}");
        }

        if (Libc.Mount("", home, "none", Libc.MsShared, 0) != 0)
        {
            var error = Libc.LastError($"mount --make-shared {home}");
            _ = Libc.Umount2(home, Libc.MntDetach);
            throw error;
        }
    }

    /// <summary>
    /// Unmounts <paramref name="home"/> with every namespace mounted in it (one unmount for all) and removes it. The
    /// caller removes the links in <see cref="RunDirectory"/> (<see cref="DeleteLink"/>).
    /// </summary>
    public static void DeleteHome(string home)
    {
        if (!Directory.Exists(home))
        {
            return;
        }

        if (Libc.Umount2(home, Libc.MntDetach) != 0)
        {
            var error = Libc.LastError($"umount2 {home}");
            if (error.HResult != 22)
            {
                throw error;
            }
        }

        Directory.Delete(home, recursive: true);
    }

    /// <summary>
    /// Removes a namespace's name when its home goes as a whole (<see cref="DeleteHome"/>): the link in
    /// <see cref="RunDirectory"/> and its <c>/etc/netns</c> folder, without an unmount of its own. A namespace mounted
    /// in <see cref="RunDirectory"/> itself is deleted as usual.
    /// </summary>
    public static void DeleteLink(string name)
    {
        ValidateName(name);
        var path = System.IO.Path.Combine(RunDirectory, name);
        if (new FileInfo(path).LinkTarget is null)
        {
            Delete(name);
            return;
        }

        var etc = System.IO.Path.Combine(EtcDirectory, name);
        if (Directory.Exists(etc))
        {
            Directory.Delete(etc, recursive: true);
        }

        File.Delete(path);
    }

    /// <summary>
    /// Writes <c>/etc/netns/NAME/FILE</c>, which programs started with <c>ip netns exec NAME</c> see as <c>/etc/FILE</c>
    /// (how a pod gets its own <c>resolv.conf</c>).
    /// </summary>
    public static void WriteEtcFile(string name, string file, string text)
    {
        ValidateName(name);
        var folder = Directory.CreateDirectory(System.IO.Path.Combine(EtcDirectory, name)).FullName;
        File.WriteAllText(System.IO.Path.Combine(folder, file), text);
    }

    /// <summary>Names under <see cref="RunDirectory"/> starting with <paramref name="prefix"/>, sorted.</summary>
    public static IReadOnlyList<string> List(string prefix)
    {
        if (!Directory.Exists(RunDirectory))
        {
            return [];
        }

        var names = Directory.EnumerateFiles(RunDirectory, "*")
            .Select(System.IO.Path.GetFileName)
            .OfType<string>()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>Runs <paramref name="work"/> on a dedicated thread switched into this namespace; the thread then exits.</summary>
    public T RunInside<T>(Func<T> work) => RunInEach([this], _ => work())[0];

    public void RunInside(Action work) => RunInside(() =>
    {
        work();
        return true;
    });

    /// <summary>
    /// Runs <paramref name="work"/> once per namespace on one dedicated thread that setns's from one to the next:
    /// one thread for many namespaces, as the lab builder needs.
    /// </summary>
    public static IReadOnlyList<T> RunInEach<T>(IReadOnlyList<NetworkNamespace> namespaces, Func<NetworkNamespace, T> work) =>
        RunInEachOnOneThread(namespaces, work);

    /// <summary>
    /// <see cref="RunInEach{T}(IReadOnlyList{NetworkNamespace}, Func{NetworkNamespace, T})"/> split into
    /// <paramref name="threads"/> runs of consecutive namespaces on as many dedicated threads: most of a
    /// namespace's setup is the kernel's work, so two threads on two cores nearly halve it. Results keep the order of
    /// <paramref name="namespaces"/>; the first failure is rethrown once every run has ended.
    /// </summary>
    public static IReadOnlyList<T> RunInEach<T>(IReadOnlyList<NetworkNamespace> namespaces, Func<NetworkNamespace, T> work, int threads)
    {
        threads = Math.Clamp(threads, 1, Math.Max(1, namespaces.Count));
        if (threads == 1)
        {
            return RunInEachOnOneThread(namespaces, work);
        }

        var chunks = namespaces.Chunk((namespaces.Count + threads - 1) / threads).ToArray();
        var results = new IReadOnlyList<T>[chunks.Length];
        Parallel.For(0, chunks.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, chunk =>
            results[chunk] = RunInEachOnOneThread(chunks[chunk], work));
        return [.. results.SelectMany(list => list)];
    }

    private static IReadOnlyList<T> RunInEachOnOneThread<T>(IReadOnlyList<NetworkNamespace> namespaces, Func<NetworkNamespace, T> work) =>
        NamespaceThread.Run("maille-netns-run", () =>
        {
            var results = new List<T>(namespaces.Count);
            foreach (var target in namespaces)
            {
                target.Enter();
                results.Add(work(target));
            }

            return (IReadOnlyList<T>)results;
        });

    /// <summary>
    /// Creates a socket that lives in this namespace. A socket keeps the namespace it was created in, so one
    /// process can listen and connect on behalf of many pods from ordinary pool threads.
    /// </summary>
    public Socket CreateSocket(AddressFamily addressFamily, SocketType socketType, ProtocolType protocolType) =>
        RunInside(() => new Socket(addressFamily, socketType, protocolType));

    /// <summary>
    /// A raw IPv4 socket for IP protocol <paramref name="protocol"/> in this namespace: the kernel writes the IP header
    /// of what is sent, and what is received comes with its IP header. .NET's Socket refuses protocol numbers it has no
    /// name for (SCTP's 132 among them), so the descriptor is opened with socket(2) and wrapped.
    /// </summary>
    public Socket CreateRawSocket(int protocol) => RunInside(() =>
    {
        var descriptor = Libc.Socket(Libc.AfInet, Libc.SockRaw | Libc.SockCloExec, protocol);
        if (descriptor < 0)
        {
            throw new SocketException(System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
        }

        return new Socket(new SafeSocketHandle(descriptor, ownsHandle: true));
    });

    /// <summary>
    /// Runs short <paramref name="work"/> (opening a socket) inside this namespace on a shared thread
    /// (<see cref="NamespaceHopper"/>); work that blocks or takes long belongs in <see cref="RunInside{T}"/>.
    /// </summary>
    public T RunBriefly<T>(Func<T> work) => NamespaceHopper.Run(this, work);

    /// <summary>Switches the calling thread into this namespace. Only for threads that will never run other work.</summary>
    internal void Enter()
    {
        FileDescriptorHandle? held;
        lock (_handleLock)
        {
            held = _handle;
        }

        using var opened = held is null ? Libc.OpenOrThrow(Path, Libc.ORdOnly) : null;
        if (Libc.SetNs(held ?? opened!, Libc.CloneNewNet) != 0)
        {
            throw Libc.LastError($"setns {Name}");
        }
    }

    public void Dispose() => Park();

    public override string ToString() => Name;

    private static NetworkNamespace CreateOnThisThread(string name, string selfPath, string? home)
    {
        var link = System.IO.Path.Combine(RunDirectory, name);
        var path = home is null ? link : System.IO.Path.Combine(home, name);
        using (Libc.OpenOrThrow(link, Libc.ORdOnly | Libc.OCreat | Libc.OExcl))
        {
        }

        if (home is not null)
        {
            // The name is taken (O_EXCL) before the link replaces the placeholder, so two creators never share a name.
            using (Libc.OpenOrThrow(path, Libc.ORdOnly | Libc.OCreat | Libc.OExcl))
            {
            }

            File.Delete(link);
            File.CreateSymbolicLink(link, path);
        }

        try
        {
            if (Libc.Unshare(Libc.CloneNewNet) != 0)
            {
                throw Libc.LastError("unshare CLONE_NEWNET");
            }

            if (Libc.Mount(selfPath, path, "none", Libc.MsBind, 0) != 0)
            {
                throw Libc.LastError($"mount --bind {selfPath} {path}");
            }

            return new NetworkNamespace(name, Libc.OpenOrThrow(path, Libc.ORdOnly));
        }
        catch
        {
            DeleteQuietly(name);
            throw;
        }
    }

    private static void DeleteQuietly(string name)
    {
        try
        {
            Delete(name);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// Makes <see cref="RunDirectory"/> exist and be a shared mount, as iproute2's netns_add does, so the bind
    /// mounts made in it propagate to other mount namespaces (and do not pin them).
    /// </summary>
    private static void EnsureRunDirectory()
    {
        lock (RunDirectoryLock)
        {
            if (_runDirectoryReady)
            {
                return;
            }

            Directory.CreateDirectory(RunDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            var madeMountPoint = false;
            while (Libc.Mount("", RunDirectory, "none", Libc.MsShared | Libc.MsRec, 0) != 0)
            {
                var error = Libc.LastError($"mount --make-rshared {RunDirectory}");
                if (error.HResult != 22 || madeMountPoint)
                {
                    throw error;
                }

                // EINVAL: not a mount point yet. Bind it onto itself, then try again.
                if (Libc.Mount(RunDirectory, RunDirectory, "none", Libc.MsBind | Libc.MsRec, 0) != 0)
                {
                    throw Libc.LastError($"mount --rbind {RunDirectory} {RunDirectory}");
                }

                madeMountPoint = true;
            }

            _runDirectoryReady = true;
        }
    }

    private static void ValidateName(string name, bool requirePrefix = true)
    {
        if (name.Length > 200 || !ValidName().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a valid namespace name: [A-Za-z0-9._-], at most 200 characters", nameof(name));
        }

        if (requirePrefix && !name.StartsWith(NamePrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' does not start with '{NamePrefix}': Maille only creates and deletes its own namespaces", nameof(name));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex ValidName();
}
