using System.Net;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.NodeAgents;

public sealed partial class L2AnnouncerPart
{
    [LoggerMessage(EventId = 951, Level = LogLevel.Information, Message = "{Address} now answered by {Node} ({Reason}); gratuitous ARP sent")]
    private partial void LogAnnounced(IPAddress address, string node, string reason);

    [LoggerMessage(EventId = 952, Level = LogLevel.Information, Message = "{Address} withdrawn from {Node} ({Reason})")]
    private partial void LogWithdrawn(IPAddress address, string node, string reason);

    [LoggerMessage(EventId = 953, Level = LogLevel.Error, Message = "{Address} could not be moved to {Node}: {Error}")]
    private partial void LogFailed(IPAddress address, string node, string error);
}
