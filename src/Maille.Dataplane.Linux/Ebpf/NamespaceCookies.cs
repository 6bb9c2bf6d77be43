using System.Net.Sockets;
using Maille.Dataplane.Linux.Interop;
using Maille.Dataplane.Linux.Netns;

namespace Maille.Dataplane.Linux.Ebpf;

/// <summary>
/// The kernel's cookie of each named network namespace (what <c>bpf_get_netns_cookie</c> returns in a program),
/// read with <c>SO_NETNS_COOKIE</c> from a socket opened inside it and kept while the namespace's inode stays the same
/// (a pod's namespace made again is a new namespace with a new cookie).
/// </summary>
public sealed class NamespaceCookies
{
    private const int SolSocket = 1;
    private const int SoNetnsCookie = 71;
    private readonly Dictionary<string, (ulong Inode, ulong Cookie)> _known = new(StringComparer.Ordinal);

    /// <summary>The cookie of namespace <paramref name="name"/> (under /run/netns), or null when it does not exist.</summary>
    public ulong? Of(string name)
    {
        if (Libc.InodeOf(System.IO.Path.Combine(NetworkNamespace.RunDirectory, name)) is not { } inode)
        {
            _known.Remove(name);
            return null;
        }

        if (_known.TryGetValue(name, out var known) && known.Inode == inode)
        {
            return known.Cookie;
        }

        using var space = NetworkNamespace.Open(name);
        var cookie = Read(space);
        _known[name] = (inode, cookie);
        return cookie;
    }

    /// <summary>The cookie of <paramref name="space"/>'s namespace.</summary>
    public static ulong Read(NetworkNamespace space)
    {
        using var socket = space.RunBriefly(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        Span<byte> value = stackalloc byte[8];
        var length = socket.GetRawSocketOption(SolSocket, SoNetnsCookie, value);
        return length == 8 ? BitConverter.ToUInt64(value) : throw new IOException($"SO_NETNS_COOKIE of namespace {space.Name} returned {length} bytes");
    }

    /// <summary>Forgets namespaces not in <paramref name="names"/>.</summary>
    public void Keep(IReadOnlySet<string> names)
    {
        foreach (var gone in _known.Keys.Where(n => !names.Contains(n)).ToList())
        {
            _known.Remove(gone);
        }
    }
}
