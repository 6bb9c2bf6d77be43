using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Workloads;

internal sealed partial class PodHttpApp
{
    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Request for {Path} failed")]
    private partial void LogRequestFailed(PathString path, Exception exception);
}
