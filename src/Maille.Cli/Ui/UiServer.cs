using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Maille.Engine;
using Maille.Engine.NetworkPolicies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Maille.Cli.Ui;

/// <summary>
/// The web server of <c>maille ui</c>: the page's bundle and its JSON API, on 127.0.0.1 only. Every request must
/// carry the token the URL printed at start carries (like Jupyter's): as <c>?token=</c> on the first visit, which
/// sets a cookie and redirects to the same path without it, then in that cookie. Anything else is answered 401.
/// </summary>
internal sealed class UiServer : IAsyncDisposable
{
    public const string CookieName = "maille-ui-token";

    private readonly WebApplication _app;
    private readonly IUiSource _source;
    private readonly byte[] _token;
    private Tuple<ClusterState, ReachabilityMatrix>? _matrix; // a reference: requests read and replace it whole

    private UiServer(WebApplication app, IUiSource source, string token)
    {
        _app = app;
        _source = source;
        Token = token;
        _token = Encoding.ASCII.GetBytes(token);
    }

    /// <summary>The token every request must carry (32 random bytes, hex).</summary>
    public string Token { get; }

    /// <summary>The server's address, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>The address with the token: what a browser opens first.</summary>
    public Uri LoginAddress => new(Address, $"?token={Token}");

    /// <summary>Starts serving <paramref name="source"/> on 127.0.0.1:<paramref name="port"/> (0: a free port).</summary>
    public static async Task<UiServer> StartAsync(IUiSource source, int port, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "maille-ui", Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 16 * 1024 * 1024;
        });
        var app = builder.Build();
        var server = new UiServer(app, source, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        server.Map(app);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.Address = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Map(WebApplication app)
    {
        app.Use(Authenticate);
        app.MapGet("/api/topology", Topology);
        app.MapGet("/api/matrix", Matrix);
        app.MapGet("/api/verdict", Verdict);
        app.MapGet("/api/trace", Trace);
        app.MapPost("/api/whatif", WhatIf);
        app.MapGet("/api/flows", Flows);
        app.MapGet("/{**path}", Bundle);
    }

    /// <summary>The token, in the query (first visit: set the cookie, redirect without it) or the cookie; else 401.</summary>
    private async Task Authenticate(HttpContext http, RequestDelegate next)
    {
        var response = http.Response;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers["Referrer-Policy"] = "no-referrer";
        if (http.Request.Query.TryGetValue("token", out var given) && Matches(given.ToString()))
        {
            response.Cookies.Append(CookieName, Token, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", IsEssential = true });
            var rest = http.Request.Query.Where(q => q.Key != "token").Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}");
            var query = string.Join('&', rest);
            response.Redirect(http.Request.PathBase + http.Request.Path + (query.Length > 0 ? "?" + query : ""));
            return;
        }

        if (http.Request.Cookies.TryGetValue(CookieName, out var cookie) && cookie is not null && Matches(cookie))
        {
            await next(http);
            return;
        }

        await Text(http, 401, "401: open the address `maille ui` printed; it carries the token\n");
    }

    private bool Matches(string given) =>
        given.Length == _token.Length && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(given), _token);

    private async Task Bundle(HttpContext http, string? path)
    {
        var file = string.IsNullOrEmpty(path) ? "index.html" : path;
        if (UiBundle.Open(file) is not var (content, type))
        {
            await Text(http, 404, $"404: no {file} in the page's bundle\n");
            return;
        }

        await using (content)
        {
            http.Response.ContentType = type;
            http.Response.Headers.CacheControl = file == "index.html" ? "no-store" : "max-age=31536000, immutable";
            await content.CopyToAsync(http.Response.Body, http.RequestAborted);
        }
    }

    private async Task Topology(HttpContext http)
    {
        var (cluster, error) = await _source.ClusterAsync(http.RequestAborted);
        if (cluster is null)
        {
            await Text(http, 502, error);
            return;
        }

        await Json(http, 200, UiJson.Topology(cluster, _source));
    }

    private async Task Matrix(HttpContext http)
    {
        if (await CurrentMatrix(http) is { } matrix)
        {
            await Json(http, 200, UiJson.Matrix(matrix));
        }
    }

    private async Task Verdict(HttpContext http)
    {
        var query = http.Request.Query;
        if (query["from"].ToString() is not { Length: > 0 } from || query["to"].ToString() is not { Length: > 0 } to || query["port"].ToString() is not { Length: > 0 } port)
        {
            await Text(http, 400, "400: a verdict takes from=NS/POD, to=NS/POD and port=PORT/PROTO\n");
            return;
        }

        if (await CurrentMatrix(http) is not { } matrix)
        {
            return;
        }

        if (UiJson.Verdict(matrix, from, to, port) is { } verdict)
        {
            await Json(http, 200, verdict);
        }
        else
        {
            await Text(http, 404, $"404: the matrix has no cell {from} → {to} on {port}\n");
        }
    }

    /// <summary>The matrix of the cluster now, computed once per plan; null after answering when the cluster cannot be read.</summary>
    private async Task<ReachabilityMatrix?> CurrentMatrix(HttpContext http)
    {
        var (cluster, error) = await _source.ClusterAsync(http.RequestAborted);
        if (cluster is null)
        {
            await Text(http, 502, error);
            return null;
        }

        if (_matrix is { } cached && ReferenceEquals(cached.Item1, cluster))
        {
            return cached.Item2;
        }

        var pods = cluster.Pods.Where(p => !p.Spec.HostNetwork).ToList();
        var matrix = ReachabilityMatrix.Compute(NetworkPolicyEvaluator.For(cluster), pods, ReachabilityMatrix.DeclaredPorts(pods));
        _matrix = Tuple.Create(cluster, matrix);
        return matrix;
    }

    private async Task Trace(HttpContext http)
    {
        var query = http.Request.Query;
        if (query["from"].ToString() is not { Length: > 0 } from || query["to"].ToString() is not { Length: > 0 } to)
        {
            await Text(http, 400, "400: a trace takes from= and to=, as maille trace --from and --to\n");
            return;
        }

        var view = await _source.TraceAsync(from, to, http.RequestAborted);
        if (view.ExitCode != 0 || view.Stdout.Length == 0)
        {
            await Text(http, 400, view.Stderr.Length > 0 ? view.Stderr : "400: the trace did not run\n");
            return;
        }

        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(view.Stdout, http.RequestAborted);
    }

    private async Task WhatIf(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var yaml = await reader.ReadToEndAsync(http.RequestAborted);
        var view = await _source.WhatIfAsync(yaml, http.RequestAborted);
        await Json(http, 200, new JsonObject { ["stdout"] = view.Stdout, ["stderr"] = view.Stderr, ["exitCode"] = view.ExitCode });
    }

    /// <summary>The lab's flows as server-sent events, one <c>observe -o json</c> line per event, until the page leaves.</summary>
    private async Task Flows(HttpContext http)
    {
        var request = http.Request.Query;
        var verdict = request["verdict"].ToString() is { Length: > 0 } v ? v : "all";
        if (verdict is not ("all" or "allowed" or "dropped"))
        {
            await Text(http, 400, "400: verdict is allowed, dropped or all\n");
            return;
        }

        var query = new StringBuilder("verdict=").Append(verdict);
        foreach (var name in new[] { "from", "to" })
        {
            if (request[name].ToString() is { Length: > 0 } value)
            {
                query.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        var started = false;
        try
        {
            var refusal = await _source.FollowFlowsAsync(query.ToString(), async line =>
            {
                if (!started)
                {
                    started = true;
                    http.Response.ContentType = "text/event-stream";
                    http.Response.Headers.CacheControl = "no-store";
                }

                await http.Response.WriteAsync($"data: {line}\n\n", http.RequestAborted);
                await http.Response.Body.FlushAsync(http.RequestAborted);
            }, http.RequestAborted);
            if (refusal is not null && !started)
            {
                await Text(http, 404, $"404: {refusal}\n");
            }
            else if (refusal is not null)
            {
                // The stream ended in trouble: said as observe says it, an Error line.
                var error = new JsonObject { ["kind"] = "Error", ["message"] = refusal }.ToJsonString();
                await http.Response.WriteAsync($"data: {error}\n\n", http.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The page went away or asked for other filters.
        }
    }

    private static async Task Text(HttpContext http, int status, string text)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(text, http.RequestAborted);
    }

    private static async Task Json(HttpContext http, int status, JsonNode body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString(), http.RequestAborted);
    }
}
