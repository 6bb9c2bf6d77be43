using System.Text;
using Maille.Dataplane.Linux.Interop;

namespace Maille.Dataplane.Linux.Netns;

/// <summary>
/// Reads and writes <c>/proc/sys</c>. The <c>net.*</c> keys resolve to the network namespace of the calling
/// thread, so call these through <see cref="NetworkNamespace.RunInside(Action)"/>.
/// </summary>
public static class Sysctl
{
    /// <summary>Writes <paramref name="value"/> to a key given as a path, e.g. <c>net/ipv4/conf/eth0/proxy_arp</c>.</summary>
    public static unsafe void Write(string key, string value)
    {
        var path = PathOf(key);
        var bytes = Encoding.ASCII.GetBytes(value + "\n");
        using var fd = Libc.OpenOrThrow(path, Libc.OWrOnly);
        fixed (byte* buffer = bytes)
        {
            if (Libc.Write(fd, buffer, (nuint)bytes.Length) != bytes.Length)
            {
                throw Libc.LastError($"write {path}");
            }
        }
    }

    public static unsafe string Read(string key)
    {
        var path = PathOf(key);
        using var fd = Libc.OpenOrThrow(path, Libc.ORdOnly);
        Span<byte> buffer = stackalloc byte[256];
        nint count;
        fixed (byte* pointer = buffer)
        {
            count = Libc.Read(fd, pointer, (nuint)buffer.Length);
        }

        return count < 0 ? throw Libc.LastError($"read {path}") : Encoding.ASCII.GetString(buffer[..(int)count]).TrimEnd('\n');
    }

    private static string PathOf(string key) =>
        key.Contains("..", StringComparison.Ordinal) || key.StartsWith('/')
            ? throw new ArgumentException($"'{key}' is not a sysctl key", nameof(key))
            : "/proc/sys/" + key;
}
