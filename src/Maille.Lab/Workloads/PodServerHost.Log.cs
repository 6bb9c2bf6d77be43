using System.Net;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Workloads;

public sealed partial class PodServerHost
{
    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Pod server started on {EndPoint}")]
    private partial void LogStarted(EndPoint endPoint);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "Pod server stopped on {EndPoint}")]
    private partial void LogStopped(EndPoint endPoint);

    [LoggerMessage(EventId = 403, Level = LogLevel.Debug, Message = "Serving pod {Pod}, ready: {Ready}")]
    private partial void LogPodSet(PodId pod, bool ready);

    [LoggerMessage(EventId = 404, Level = LogLevel.Debug, Message = "Stopped serving pod {Pod}")]
    private partial void LogPodRemoved(PodId pod);
}
