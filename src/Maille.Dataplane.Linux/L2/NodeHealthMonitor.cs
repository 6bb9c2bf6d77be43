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
public sealed class NodeHealthMonitor : IAsyncDisposable
{
    private static int _instances;

    private readonly Lock _gate = new();
    private readonly Socket _socket;
    private readonly NodeHealthOptions _options;
    private readonly TimeProvider _time;
    private readonly ushort _identifier;
    private readonly string[] _names;
    private readonly IPAddress[] _addresses;
    private readonly bool[] _answered;
    private readonly int[] _misses;
    private readonly bool[] _down;
    private readonly DateTimeOffset[] _lastAnswer;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _running;
    private ushort _sequence;

    public NodeHealthMonitor(NetworkNamespace vantage, IReadOnlyDictionary<string, IPAddress> nodes, NodeHealthOptions? options = null, TimeProvider? time = null)
    {
        _options = options ?? new NodeHealthOptions();
        _options.Validate();
        _time = time ?? TimeProvider.System;
        _names = [.. nodes.Keys.Order(StringComparer.Ordinal)];
        _addresses = [.. _names.Select(n => nodes[n])];
        _answered = new bool[_names.Length];
        _misses = new int[_names.Length];
        _down = new bool[_names.Length];
        _lastAnswer = [.. _names.Select(_ => _time.GetUtcNow())];
        _identifier = (ushort)(Environment.ProcessId * 31 + Interlocked.Increment(ref _instances));
        _socket = vantage.CreateSocket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp);
    }

    /// <summary>Raised (on the monitor's own task) when a node goes down or comes back.</summary>
    public event Action<NodeHealthChange>? Changed;

    /// <summary>The nodes declared down now.</summary>
    public IReadOnlySet<string> DownNodes
    {
        get
        {
            lock (_gate)
            {
                return _names.Where((_, i) => _down[i]).ToHashSet(StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Starts probing; runs until <see cref="DisposeAsync"/>.</summary>
    public void Start()
    {
        if (_running is not null)
        {
            throw new InvalidOperationException("the monitor is already running");
        }

        _running = Task.Run(() => ProbeAsync(_stopping.Token));
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_running is not null)
        {
            try
            {
                await _running;
            }
            catch (OperationCanceledException)
            {
            }
        }

        _socket.Dispose();
        _stopping.Dispose();
    }

    /// <summary>
    /// One loop: at each tick, read the replies the kernel has queued since the last probes, count, probe again. The
    /// replies wait in the socket's buffer, so a loop that runs late (a busy machine) sees them all and declares no
    /// false failure; it only notices a real one later.
    /// </summary>
    private async Task ProbeAsync(CancellationToken token)
    {
        using var timer = new PeriodicTimer(_options.Interval, _time);
        var endpoints = _addresses.Select(a => new IPEndPoint(a, 0)).ToArray();
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

            var request = IcmpEcho.Request(_identifier, _sequence++);
            foreach (var endpoint in endpoints)
            {
                try
                {
                    _socket.SendTo(request, SocketFlags.None, endpoint);
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
        while (_socket.Available > 0)
        {
            int received;
            try
            {
                received = _socket.ReceiveFrom(buffer, ref any);
            }
            catch (SocketException)
            {
                return;
            }

            if (IcmpEcho.ReplySource(buffer.AsSpan(0, received), _identifier) is { } source && Array.IndexOf(_addresses, source) is var index and >= 0)
            {
                lock (_gate)
                {
                    _answered[index] = true;
                    _lastAnswer[index] = _time.GetUtcNow();
                }
            }
        }
    }

    /// <summary>At each tick: a node that answered since the last probe is up; one that did not has missed one more.</summary>
    private List<NodeHealthChange> Tally()
    {
        var changes = new List<NodeHealthChange>();
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            for (var i = 0; i < _names.Length; i++)
            {
                if (_answered[i])
                {
                    _misses[i] = 0;
                    if (_down[i])
                    {
                        _down[i] = false;
                        changes.Add(new NodeHealthChange(_names[i], Up: true, now, TimeSpan.Zero));
                    }
                }
                else if (++_misses[i] >= _options.MissesBeforeDown && !_down[i])
                {
                    _down[i] = true;
                    changes.Add(new NodeHealthChange(_names[i], Up: false, now, now - _lastAnswer[i]));
                }

                _answered[i] = false;
            }
        }

        return changes;
    }
}
