using Maille.Dataplane.Linux.Interop;

namespace Maille.Dataplane.Linux.Netns;

/// <summary>
/// Finds the processes that live in named network namespaces, as <c>ip netns pids NAME</c> does for one name (it
/// compares each <c>/proc/PID/ns/net</c> with the namespace), but in one pass over <c>/proc</c> for any number of
/// namespaces, known by identity so that they can be found after their names are gone: a lab of 10,000 pods would otherwise start 10,000 <c>ip</c> processes to be taken down.
/// </summary>
public static class NamespaceProcesses
{
    /// <summary>The identities (<c>net:[INODE]</c>) of the named namespaces that are mounted now.</summary>
    public static IReadOnlySet<string> Identities(IEnumerable<string> names) =>
        names.Select(Identity).OfType<string>().ToHashSet(StringComparer.Ordinal);

    /// <summary>The processes (other than this one) whose network namespace has one of <paramref name="identities"/>.</summary>
    public static IReadOnlyList<int> In(IReadOnlySet<string> identities)
    {
        if (identities.Count == 0)
        {
            return [];
        }

        var found = new List<int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
                && pid != Environment.ProcessId
                && LinkOf($"{folder}/ns/net") is { } link
                && identities.Contains(link))
            {
                found.Add(pid);
            }
        }

        return found;
    }

    /// <summary>
    /// A namespace's identity as <c>/proc/PID/ns/net</c> shows it (<c>net:[INODE]</c>), or null when the name is not
    /// mounted. The inode is the mounted file's: reading the link of a descriptor opened on it would give the mount's
    /// path instead.
    /// </summary>
    private static string? Identity(string name) =>
        Libc.InodeOf(Path.Combine(NetworkNamespace.RunDirectory, name)) is { } inode && IsNamespaceFile(inode)
            ? $"net:[{inode}]"
            : null;

    /// <summary>Namespace inodes live on nsfs, numbered from 0xF0000000 up; a plain file left by a half-made namespace is not one.</summary>
    private static bool IsNamespaceFile(ulong inode) => inode >= 0xF0000000;

    private static string? LinkOf(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // the process ended meanwhile, or it is not ours to read
        }
    }
}
