using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Agent;

/// <summary>
/// The agent's health endpoint, as kube-proxy's <c>/healthz</c> on its <c>--healthz-bind-address</c>: plain HTTP,
/// <c>GET /healthz</c> (and <c>/livez</c>) answers 200 once every part has applied the state the agent read and none of
/// them is failing, else 503, with a JSON body saying since when (<c>lastUpdated</c>, <c>currentTime</c>, and the parts'
/// last error). It is what a DaemonSet's readinessProbe targets: in a lab the <c>maille-agent</c> pods' readiness comes
/// from it, on the node's own address. Nothing else is served; other paths get 404, other methods 405.
/// </summary>
public sealed class AgentHealth : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TimeProvider _time;
    private (DateTimeOffset At, string? Error)? _lastSync;

    private AgentHealth(WebApplication app, TimeProvider time)
    {
        _app = app;
        _time = time;
    }

    /// <summary>The address it listens on (the port chosen by the system when 0 was asked).</summary>
    public IPEndPoint? Endpoint { get; private set; }

    /// <summary>Starts listening on <paramref name="bind"/> (<c>ADDRESS:PORT</c>); refused addresses throw <see cref="IOException"/>.</summary>
    public static async Task<AgentHealth> StartAsync(IPEndPoint bind, TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder(Api.UnwatchedWebHost.Options());
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 0;
            k.Limits.MaxRequestHeadersTotalSize = 8 * 1024;
            k.Listen(bind);
        });
        var app = builder.Build();
        var health = new AgentHealth(app, time ?? TimeProvider.System);
        app.MapMethods("/healthz", ["GET", "HEAD"], health.Answer);
        app.MapMethods("/livez", ["GET", "HEAD"], health.Answer);
        try
        {
            await app.StartAsync();
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            await app.DisposeAsync();
            throw new IOException($"--healthz-bind-address {bind}: {e.Message}", e);
        }

        var addresses = app.Urls.Select(u => new Uri(u)).FirstOrDefault();
        health.Endpoint = addresses is null ? null : new IPEndPoint(bind.Address, addresses.Port);
        return health;
    }

    /// <summary>Parses <c>ADDRESS:PORT</c> (<c>0.0.0.0:10266</c>, <c>[::1]:10266</c>); null with the reason when it is not one.</summary>
    public static IPEndPoint? ParseBindAddress(string text, out string? error)
    {
        error = null;
        if (IPEndPoint.TryParse(text, out var endpoint) && text.Contains(':', StringComparison.Ordinal) && endpoint.Port is > 0 and <= 65535)
        {
            return endpoint;
        }

        error = $"--healthz-bind-address {text}: not ADDRESS:PORT with a port from 1 to 65535 (e.g. 0.0.0.0:10266)";
        return null;
    }

    /// <summary>The parts finished a sync: healthy from now when <paramref name="error"/> is empty.</summary>
    public void Synced(string? error) => _lastSync = (_time.GetUtcNow(), string.IsNullOrEmpty(error) ? null : error);

    private IResult Answer()
    {
        var last = _lastSync;
        var healthy = last is { Error: null };
        var body = new JsonObject
        {
            ["lastUpdated"] = last?.At.ToString("O", CultureInfo.InvariantCulture),
            ["currentTime"] = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
            ["healthy"] = healthy,
            ["error"] = last is null ? "no sync yet" : last.Value.Error,
        };
        return Results.Text(body.ToJsonString(), "application/json", statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
