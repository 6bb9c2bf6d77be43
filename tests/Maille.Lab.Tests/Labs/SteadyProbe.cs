using System.Net;

namespace Maille.Lab.Tests.Labs;

/// <summary>
/// Traffic that must not stop while a test breaks something: from a pod's namespace to one address on port 80, every
/// 100 ms, one request on a connection kept open from the start (an established connection) and one on a new
/// connection. Every failure is recorded, and so is a kept connection that had to be opened again. Bounded: it runs
/// until <see cref="StopAsync"/> and at most ten minutes.
/// </summary>
internal sealed class SteadyProbe : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Longest = TimeSpan.FromMinutes(10);

    private readonly NamespaceHttp _kept;
    private readonly NamespaceHttp _fresh;
    private readonly HttpClient _keptClient;
    private readonly CancellationTokenSource _stop = new(Longest);
    private readonly List<string> _failures = [];
    private readonly Task _loop;
    private int _answers;

    public SteadyProbe(string podNamespace, IPAddress address)
    {
        _kept = new NamespaceHttp(podNamespace, address);
        _fresh = new NamespaceHttp(podNamespace, address);
        var handler = _kept.Handler();
        handler.MaxConnectionsPerServer = 1;
        handler.PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan;
        handler.PooledConnectionLifetime = Timeout.InfiniteTimeSpan;
        _keptClient = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(3) };
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The rounds answered so far (both requests).</summary>
    public int Answers => Volatile.Read(ref _answers);

    /// <summary>Waits until <paramref name="count"/> rounds were answered (the traffic flows before the fault).</summary>
    public async Task WaitForAnswersAsync(int count)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (Volatile.Read(ref _answers) < count)
        {
            await Task.Delay(Period, patience.Token);
        }
    }

    /// <summary>The failures since the last call (a test judges each phase of its faults on its own).</summary>
    public IReadOnlyList<string> TakeFailures()
    {
        lock (_failures)
        {
            var taken = _failures.ToList();
            _failures.Clear();
            return taken;
        }
    }

    /// <summary>Stops, and returns the rounds answered and the failures not taken yet.</summary>
    public async Task<(int Answers, IReadOnlyList<string> Failures)> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        lock (_failures)
        {
            if (_kept.Connections != 1)
            {
                _failures.Add($"the kept connection was opened {_kept.Connections} times");
            }

            return (_answers, [.. _failures]);
        }
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var ok = await Try("kept", () => _keptClient.GetStringAsync(new Uri("http://web/hostname")));
            ok &= await Try("new", async () =>
            {
                var answer = await _fresh.GetAsync("http://web/hostname");
                return answer.Status == 200 ? answer.Body : throw new HttpRequestException($"status {answer.Status}");
            });
            if (ok)
            {
                Interlocked.Increment(ref _answers);
            }

            try
            {
                await Task.Delay(Period, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<bool> Try(string kind, Func<Task<string>> request)
    {
        try
        {
            await request();
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            lock (_failures)
            {
                _failures.Add($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {kind}: {e.Message}");
            }

            return false;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _keptClient.Dispose();
        _kept.Dispose();
        _fresh.Dispose();
        _stop.Dispose();
    }
}
