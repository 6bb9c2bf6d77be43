using Microsoft.AspNetCore.Builder;

namespace Maille.Lab.Api;

/// <summary>
/// Options for the web hosts Maille builds (the lab's API, the mesh's node proxies, the agent's health endpoint, the
/// web view): configuration is never reloaded from files, so a host does not watch its content root — by default the
/// working directory, watched recursively (one inotify watch per folder below it, per host; a daemon started from
/// <c>/</c> would watch the whole tree). None of them reads <c>appsettings.json</c>.
/// </summary>
public static class UnwatchedWebHost
{
    public static WebApplicationOptions Options(string? applicationName = null) => new()
    {
        ApplicationName = applicationName,
        Args = ["--hostBuilder:reloadConfigOnChange=false"],
    };
}
