using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Workloads;

internal sealed partial class PodAcceptLoop
{
    [LoggerMessage(EventId = 111, Level = LogLevel.Debug, Message = "Accepted {ConnectionId} from {Remote} on {Port}")]
    private partial void LogAccepted(PodPort port, string connectionId, EndPoint? remote);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "Accept failed on {Port} with {Error}; retrying")]
    private partial void LogAcceptFailed(PodPort port, SocketError error, Exception exception);

    [LoggerMessage(EventId = 113, Level = LogLevel.Error, Message = "Stopped accepting on {Port} after an unexpected failure")]
    private partial void LogLoopFailed(PodPort port, Exception exception);
}
