using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Tests.Workloads;

/// <summary>Keeps every log entry, so a test can say what the server reported (Kestrel's own entries included).</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyCollection<LogEntry> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(categoryName, _entries);

    public void Dispose()
    {
    }
}
