using System.Threading.Channels;

namespace Maille.Lab.Workloads;

/// <summary>
/// What <c>kubectl logs</c> reads: each pod container's recent output, kept in memory. A container that runs its own
/// program has the program's standard output and error, line by line; the containers the built-in server answers for
/// share its request log (one line per request: client, method, path, status). Bounded like a kubelet's rotated log:
/// the last <see cref="LinesKept"/> lines of each, each cut at <see cref="MaxLineLength"/> characters. A pod that
/// stops keeps its lines until it is started again. Thread-safe.
/// </summary>
public sealed class PodLogs(TimeProvider time)
{
    public const int LinesKept = 5_000;
    public const int MaxLineLength = 16 * 1024;

    /// <summary>The key of the built-in server's lines in a pod (a container name cannot be empty).</summary>
    public const string ServerLog = "";

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Pod, string Container), Log> _logs = [];

    /// <summary>Adds one line of <paramref name="container"/>'s output (<see cref="ServerLog"/> for the built-in server's).</summary>
    public void Append(string pod, string container, string line)
    {
        var entry = new PodLogLine(time.GetUtcNow(), line.Length > MaxLineLength ? line[..MaxLineLength] : line);
        lock (_gate)
        {
            if (!_logs.TryGetValue((pod, container), out var log))
            {
                log = new Log();
                _logs[(pod, container)] = log;
            }

            log.Lines.Enqueue(entry);
            if (log.Lines.Count > LinesKept)
            {
                log.Lines.Dequeue();
            }

            foreach (var follower in log.Followers)
            {
                follower.Writer.TryWrite(entry);
            }
        }
    }

    /// <summary>Forgets a pod's lines (it starts again with a fresh log, as a new container does).</summary>
    public void Clear(string pod)
    {
        lock (_gate)
        {
            foreach (var key in _logs.Keys.Where(k => k.Pod == pod).ToList())
            {
                foreach (var follower in _logs[key].Followers)
                {
                    follower.Writer.TryComplete();
                }

                _logs.Remove(key);
            }
        }
    }

    /// <summary>
    /// The kept lines of one log, the last <paramref name="tail"/> of them when given; with <paramref name="follow"/>,
    /// also a reader of every line added after them (complete when the log is cleared; dispose to stop following).
    /// </summary>
    public (IReadOnlyList<PodLogLine> Lines, PodLogFollower? Follower) Read(string pod, string container, int? tail, bool follow)
    {
        lock (_gate)
        {
            if (!_logs.TryGetValue((pod, container), out var log))
            {
                log = new Log();
                _logs[(pod, container)] = log;
            }

            var lines = log.Lines.ToList();
            var kept = tail is { } count ? lines.Skip(Math.Max(0, lines.Count - count)).ToList() : lines;
            if (!follow)
            {
                return (kept, null);
            }

            var channel = Channel.CreateBounded<PodLogLine>(new BoundedChannelOptions(LinesKept) { FullMode = BoundedChannelFullMode.DropOldest });
            log.Followers.Add(channel);
            return (kept, new PodLogFollower(channel.Reader, () =>
            {
                lock (_gate)
                {
                    log.Followers.Remove(channel);
                }
            }));
        }
    }

    private sealed class Log
    {
        public Queue<PodLogLine> Lines { get; } = new();

        public List<Channel<PodLogLine>> Followers { get; } = [];
    }
}
