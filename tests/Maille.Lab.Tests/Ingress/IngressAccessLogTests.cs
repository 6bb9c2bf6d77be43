using Maille.Lab.Ingresses;
using Maille.Lab.Tests.Workloads;

namespace Maille.Lab.Tests.Ingress;

/// <summary>The buffered access log: lines of an interval become one logger entry; a full buffer drops and counts.</summary>
public sealed class IngressAccessLogTests
{
    [Fact]
    public async Task Lines_written_within_one_interval_reach_the_logger_as_one_entry_in_order()
    {
        var log = new RecordingLoggerProvider();
        await using (var access = new IngressAccessLog(log.CreateLogger(IngressProxy.AccessLogCategory), new IngressProxyOptions { AccessLogFlushInterval = TimeSpan.FromSeconds(2) }, TimeProvider.System))
        {
            for (var i = 0; i < 50; i++)
            {
                access.Write($"request {i}");
            }
        }

        var entry = Assert.Single(log.Entries);
        Assert.Equal((IngressProxy.AccessLogCategory, 415), (entry.Category, entry.EventId.Id));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"request {i}"), entry.Message.Split('\n'));
    }

    [Fact]
    public async Task When_the_buffer_is_full_lines_are_dropped_and_the_next_entry_counts_them()
    {
        var log = new RecordingLoggerProvider();
        await using (var access = new IngressAccessLog(log.CreateLogger(IngressProxy.AccessLogCategory), new IngressProxyOptions { AccessLogBufferLines = 2, AccessLogFlushInterval = TimeSpan.FromHours(1) }, TimeProvider.System))
        {
            for (var i = 0; i < 5; i++)
            {
                access.Write($"request {i}");
            }
        }

        var entry = Assert.Single(log.Entries);
        Assert.Equal(["request 0", "request 1", "3 access-log lines dropped: the log could not keep up"], entry.Message.Split('\n'));
    }
}
