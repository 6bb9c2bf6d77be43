using System.Net;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Workloads;

internal sealed partial class DynamicSocketTransport
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Bound {EndPoint}")]
    private partial void LogBound(EndPoint endPoint);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "Accepting for {Port} on {LocalEndPoint}")]
    private partial void LogListenerAdded(PodPort port, EndPoint? localEndPoint);

    [LoggerMessage(EventId = 103, Level = LogLevel.Debug, Message = "Stopped accepting for {Port}")]
    private partial void LogListenerRemoved(PodPort port);
}
