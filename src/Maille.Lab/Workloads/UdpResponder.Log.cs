using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Workloads;

internal sealed partial class UdpResponder
{
    [LoggerMessage(EventId = 301, Level = LogLevel.Debug, Message = "Answering for {Port} on {LocalEndPoint}")]
    private partial void LogAdded(PodPort port, EndPoint? localEndPoint);

    [LoggerMessage(EventId = 302, Level = LogLevel.Debug, Message = "Stopped answering for {Port}")]
    private partial void LogRemoved(PodPort port);

    [LoggerMessage(EventId = 303, Level = LogLevel.Debug, Message = "A datagram on {Port} failed with {Error}")]
    private partial void LogDatagramFailed(PodPort port, SocketError error);

    [LoggerMessage(EventId = 304, Level = LogLevel.Error, Message = "Stopped answering on {Port} after an unexpected failure")]
    private partial void LogLoopFailed(PodPort port, Exception exception);
}
