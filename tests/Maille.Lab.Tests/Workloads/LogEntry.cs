using Microsoft.Extensions.Logging;

namespace Maille.Lab.Tests.Workloads;

internal sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception)
{
    /// <summary>When it was logged: a failure's report puts it beside the events around it.</summary>
    public DateTimeOffset At { get; } = DateTimeOffset.UtcNow;

    public override string ToString() => $"{Level} {Category}[{EventId.Id}] {Message}{(Exception is null ? "" : $" ({Exception.GetType().Name}: {Exception.Message})")}";

    /// <summary>The entry with its time and every inner exception, for a test that explains its failure.</summary>
    public string Explained()
    {
        var text = new System.Text.StringBuilder($"{At:HH:mm:ss.fff} {Level} {Category}[{EventId.Id}] {Message}");
        for (var e = Exception; e is not null; e = e.InnerException)
        {
            text.Append($" <- {e.GetType().Name}: {e.Message}");
        }

        return text.ToString();
    }
}
