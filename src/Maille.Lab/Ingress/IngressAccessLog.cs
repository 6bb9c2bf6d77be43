using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Ingresses;

/// <summary>
/// The access log, buffered as nginx's <c>access_log … buffer= flush=</c>: a request only queues its line; a writer
/// task gathers the lines of up to <see cref="IngressProxyOptions.AccessLogFlushInterval"/> and hands them to the logger
/// as ONE entry (event 401, one line per request). A logger entry per request cost more CPU than forwarding the
/// request (measured through the lab daemon's console log, docs/benchmarks.md); per batch it is paid once. When the
/// logger falls behind by <see cref="IngressProxyOptions.AccessLogBufferLines"/> lines, further lines are dropped and
/// counted, and the next entry says how many: requests never wait for the log.
/// </summary>
internal sealed partial class IngressAccessLog : IAsyncDisposable
{
    /// <summary>Lines handed to the logger in one entry at most.</summary>
    private const int MaxLinesPerEntry = 1000;

    private readonly Channel<string> _lines;
    private readonly ILogger _logger;
    private readonly TimeSpan _flushInterval;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _writer;
    private long _dropped;

    public IngressAccessLog(ILogger logger, IngressProxyOptions options, TimeProvider timeProvider)
    {
        _logger = logger;
        _flushInterval = options.AccessLogFlushInterval;
        _timeProvider = timeProvider;
        _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(options.AccessLogBufferLines)
        {
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite: refused, not waited for
            SingleReader = true,
        });
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>Whether lines are wanted at all (the logger takes Information for the category).</summary>
    public bool IsEnabled => _logger.IsEnabled(LogLevel.Information);

    /// <summary>Queues one line; never blocks.</summary>
    public void Write(string line)
    {
        if (!_lines.Writer.TryWrite(line))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Writes what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _stopping.CancelAsync();
        await _writer;
        _stopping.Dispose();
    }

    private async Task WriteAsync()
    {
        var reader = _lines.Reader;
        var batch = new StringBuilder();
        while (await reader.WaitToReadAsync())
        {
            try
            {
                await Task.Delay(_flushInterval, _timeProvider, _stopping.Token); // let the lines of this interval gather
            }
            catch (OperationCanceledException)
            {
                // stopping: write what is there at once
            }

            while (reader.TryPeek(out _))
            {
                batch.Clear();
                for (var n = 0; n < MaxLinesPerEntry && reader.TryRead(out var line); n++)
                {
                    batch.Append(batch.Length == 0 ? "" : "\n").Append(line);
                }

                var dropped = Interlocked.Exchange(ref _dropped, 0);
                if (dropped > 0)
                {
                    batch.Append('\n').Append(dropped).Append(" access-log lines dropped: the log could not keep up");
                }

                if (_logger.IsEnabled(LogLevel.Information))
                {
                    var lines = batch.ToString();
                    LogLines(_logger, lines);
                }
            }
        }
    }

    [LoggerMessage(EventId = 415, Level = LogLevel.Information, Message = "{Lines}")]
    private static partial void LogLines(ILogger logger, string lines);
}
