using Microsoft.Extensions.Logging;

namespace Maille.Lab.Labs;

internal sealed partial class LabDaemon
{
    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "Removed {Count} namespaces a previous run of this lab left behind")]
    private partial void LogRemovedLeftovers(int count);

    [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "Lab ready: {Nodes} nodes, {Ports} pod ports served, in {Milliseconds:F0} ms")]
    private partial void LogReady(int nodes, int ports, double milliseconds);

    [LoggerMessage(EventId = 503, Level = LogLevel.Error, Message = "Lab failed: {Reason}")]
    private partial void LogFailed(string reason);

    [LoggerMessage(EventId = 504, Level = LogLevel.Information, Message = "Stopping: closing pod ports and programs")]
    private partial void LogStopping();

    [LoggerMessage(EventId = 505, Level = LogLevel.Information, Message = "Started {Pod} container {Container}: {Command} (pid {Pid})")]
    private partial void LogProgramStarted(string pod, string container, string command, int pid);
}
