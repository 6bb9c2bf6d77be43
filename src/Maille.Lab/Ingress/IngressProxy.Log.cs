using Microsoft.Extensions.Logging;

namespace Maille.Lab.Ingresses;

public sealed partial class IngressProxy
{
    [LoggerMessage(EventId = 411, Level = LogLevel.Information, Message = "Ingress proxy started (bound: {Bound})")]
    private partial void LogStarted(string bound);

    [LoggerMessage(EventId = 412, Level = LogLevel.Information, Message = "Ingress proxy stopped")]
    private partial void LogStopped();

    [LoggerMessage(EventId = 413, Level = LogLevel.Debug, Message = "Routing updated: {Ingresses} Ingresses, {Hosts} hosts")]
    private partial void LogUpdated(int ingresses, int hosts);

    [LoggerMessage(EventId = 414, Level = LogLevel.Warning, Message = "{Problem}")]
    private partial void LogProblem(string problem);
}
