using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Maille.Engine.Dns;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Dns;

public sealed partial class ClusterDnsServer
{
    [LoggerMessage(EventId = 631, Level = LogLevel.Information, Message = "Cluster DNS started")]
    private partial void LogStarted();

    [LoggerMessage(EventId = 632, Level = LogLevel.Information, Message = "Cluster DNS stopped")]
    private partial void LogStopped();

    [LoggerMessage(EventId = 633, Level = LogLevel.Debug, Message = "{Name} {Type}: {Code}, {Count} answers")]
    private partial void LogAnswered(DomainName name, RecordType type, DnsResponseCode code, int count);

    [LoggerMessage(EventId = 634, Level = LogLevel.Warning, Message = "A DNS query failed")]
    private partial void LogQueryFailed(Exception exception);
}
