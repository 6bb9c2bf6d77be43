using Microsoft.Extensions.Logging;

namespace Maille.Lab.Labs;

public sealed partial class LabDaemon
{
    [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "Lab ready: {Nodes} nodes, {Ports} pod ports served, in {Milliseconds:F0} ms")]
    private partial void LogReady(int nodes, int ports, double milliseconds);

    [LoggerMessage(EventId = 503, Level = LogLevel.Error, Message = "Lab failed: {Reason}")]
    private partial void LogFailed(string reason);

    [LoggerMessage(EventId = 505, Level = LogLevel.Information, Message = "Node agent processes: {Synced} of {Nodes} have programmed their node")]
    private partial void LogAgentsStarted(int synced, int nodes);

    [LoggerMessage(EventId = 506, Level = LogLevel.Warning, Message = "maille observe cannot read a node's flows: {Error}")]
    private partial void LogFlowsUnread(string error);

    [LoggerMessage(EventId = 504, Level = LogLevel.Information, Message = "Stopping: closing pod ports and programs")]
    private partial void LogStopping();
}
