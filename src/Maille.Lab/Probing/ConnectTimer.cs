using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Maille.Dataplane.Linux.Netns;

namespace Maille.Lab.Probing;

/// <summary>
/// Sequential TCP connects from inside a pod's network namespace, each timed from <c>connect()</c> to the
/// handshake's end: the first packet of a new connection, through whatever the data plane does to it (nftables'
/// DNAT and conntrack, or the socket hook's translation; the policy at the destination). The socket is made before
/// the clock starts, and closed after it stops. <c>maille compare</c>'s connect and first-packet measures.
/// </summary>
[SupportedOSPlatform("linux")]
public static class ConnectTimer
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// <paramref name="count"/> connects, to <paramref name="targets"/> in turn, after a few untimed ones (neighbour
    /// caches, the first route lookups); milliseconds each. A connect that fails or times out is an error: the lab
    /// is expected to serve every target.
    /// </summary>
    public static async Task<IReadOnlyList<double>> MeasureAsync(string networkNamespace, IReadOnlyList<IPEndPoint> targets, int count, CancellationToken cancellationToken)
    {
        using var ns = NetworkNamespace.Open(networkNamespace);
        for (var i = 0; i < Math.Min(5, targets.Count); i++)
        {
            await OnceAsync(ns, targets[i], cancellationToken);
        }

        var times = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            times.Add(await OnceAsync(ns, targets[i % targets.Count], cancellationToken));
        }

        return times;
    }

    private static async Task<double> OnceAsync(NetworkNamespace ns, IPEndPoint target, CancellationToken cancellationToken)
    {
        using var socket = ns.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await socket.ConnectAsync(target, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"connect to {target} from {ns.Name}: no answer within {Timeout.TotalSeconds:0} s");
        }
        catch (SocketException e)
        {
            throw new IOException($"connect to {target} from {ns.Name}: {e.Message}", e);
        }

        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
}
