using System.Net;
using System.Net.Sockets;
using Maille.Dataplane.Linux.Netns;

namespace Maille.Dataplane.Linux.L2;

/// <summary>
/// Watches nodes from outside them: every <see cref="NodeHealthOptions.Interval"/> it sends each node's address an ICMP
/// echo from a raw socket in a vantage namespace (the lab's underlay), and a node that leaves
/// <see cref="NodeHealthOptions.MissesBeforeDown"/> probes in a row unanswered is declared down. Nothing depends on
/// the failed node saying goodbye: a node whose links went down, whose namespace froze or that was stopped simply stops
/// answering. One answer brings it back up.
/// </summary>
/// <remarks>
/// Echo replies are not rate-limited by Linux (icmp_ratemask covers unreachable, time-exceeded and parameter-problem
/// messages only), so probing every 150 ms is safe; a probe to a closed UDP port would be, after a burst of six.
/// </remarks>
internal sealed class NodeHealthMonitor : IAsyncDisposable
{
    private static int instances;

    private readonly Lock gate = new();
    private readonly Socket socket;
    private readonly NodeHealthOptions options;
    private readonly TimeProvider time;
    private readonly ushort identifier;
    private readonly string[] names;
    private readonly IPAddress[] addresses;
    private readonly bool[] answered;
    private readonly int[] misses;
    private readonly bool[] down;
    private readonly DateTimeOffset[] lastAnswer;
    private readonly CancellationTokenSource stopping = new();
    private Task? running;
    private ushort sequence;

    public NodeHealthMonitor(NetworkNamespace vantage, IReadOnlyDictionary<string, IPAddress> nodes, NodeHealthOptions? options = null, TimeProvider? time = null)
    {
        this.options = options ?? new NodeHealthOptions();
        this.options.Validate();
        this.time = time ?? TimeProvider.System;
        names = [.. nodes.Keys.Order(StringComparer.Ordinal)];
        addresses = [.. names.Select(n => nodes[n])];
        answered = new bool[names.Length];
        misses = new int[names.Length];
        down = new bool[names.Length];
        lastAnswer = [.. names.Select(_ => this.time.GetUtcNow())];
        identifier = (ushort)(Environment.ProcessId * 31 + Interlocked.Increment(ref instances));
        socket = vantage.CreateSocket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp);
    }

    /// <summary>Raised (on the monitor's own task) when a node goes down or comes back.</summary>
    public event Action<NodeHealthChange>? Changed;

    /// <summary>The nodes declared down now.</summary>
    public IReadOnlySet<string> DownNodes
    {
        get
        {
            lock (gate)
            {
                return names.Where((_, i) => down[i]).ToHashSet(StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Starts probing; runs until <see cref="DisposeAsync"/>.</summary>
    public void Start()
    {
        if (running is not null)
        {
            throw new InvalidOperationException("the monitor is already running");
        }

        running = Task.Run(() => ProbeAsync(stopping.Token));
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        if (running is not null)
        {
            try
            {
                await running;
            }
            catch (OperationCanceledException)
            {
            }
        }

        socket.Dispose();
        stopping.Dispose();
    }

    /// <summary>
    /// One loop: at each tick, read the replies the kernel has queued since the last probes, count, probe again. The
    /// replies wait in the socket's buffer, so a loop that runs late (a busy machine) sees them all and declares no
    /// false failure; it only notices a real one later.
    /// </summary>
    private async Task ProbeAsync(CancellationToken token)
    {
        using var timer = new PeriodicTimer(options.Interval, time);
        var endpoints = addresses.Select(a => new IPEndPoint(a, 0)).ToArray();
        var buffer = new byte[1500];
        var first = true;
        do
        {
            DrainReplies(buffer);
            var changes = first ? [] : Tally();
            first = false;
            foreach (var change in changes)
            {
                Changed?.Invoke(change);
            }

            var request = IcmpEcho.Request(identifier, sequence++);
            foreach (var endpoint in endpoints)
            {
                try
                {
                    socket.SendTo(request, SocketFlags.None, endpoint);
                }
                catch (SocketException)
                {
                    // No route or a down link on the vantage side: the probe is simply unanswered.
                }
            }
        }
        while (await timer.WaitForNextTickAsync(token));
    }

    private void DrainReplies(byte[] buffer)
    {
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (socket.Available > 0)
        {
            int received;
            try
            {
                received = socket.ReceiveFrom(buffer, ref any);
            }
            catch (SocketException)
            {
                return;
            }

            if (IcmpEcho.ReplySource(buffer.AsSpan(0, received), identifier) is { } source && Array.IndexOf(addresses, source) is var index and >= 0)
            {
                lock (gate)
                {
                    answered[index] = true;
                    lastAnswer[index] = time.GetUtcNow();
                }
            }
        }
    }

    /// <summary>At each tick: a node that answered since the last probe is up; one that did not has missed one more.</summary>
    private List<NodeHealthChange> Tally()
    {
        var changes = new List<NodeHealthChange>();
        var now = time.GetUtcNow();
        lock (gate)
        {
            for (var i = 0; i < names.Length; i++)
            {
                if (answered[i])
                {
                    misses[i] = 0;
                    if (down[i])
                    {
                        down[i] = false;
                        changes.Add(new NodeHealthChange(names[i], Up: true, now, TimeSpan.Zero));
                    }
                }
                else if (++misses[i] >= options.MissesBeforeDown && !down[i])
                {
                    down[i] = true;
                    changes.Add(new NodeHealthChange(names[i], Up: false, now, now - lastAnswer[i]));
                }

                answered[i] = false;
            }
        }

        return changes;
    }
}
