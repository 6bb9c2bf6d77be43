using System.Net;
using Maille.Lab.Workloads;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Dns;

internal abstract partial class DnsSocketTransport
{
    [LoggerMessage(EventId = 601, Level = LogLevel.Debug, Message = "Serving DNS for {Port} on {LocalEndPoint}")]
    private partial void LogAdded(PodPort port, EndPoint? localEndPoint);

    [LoggerMessage(EventId = 602, Level = LogLevel.Debug, Message = "Stopped serving DNS for {Port}")]
    private partial void LogRemoved(PodPort port);

    [LoggerMessage(EventId = 603, Level = LogLevel.Error, Message = "Stopped serving DNS on {Port} after an unexpected failure")]
    private partial void LogLoopFailed(PodPort port, Exception exception);
}
