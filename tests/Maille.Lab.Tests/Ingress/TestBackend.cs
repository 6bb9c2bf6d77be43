using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Tests.Ingress;

/// <summary>
/// A backend pod for proxy tests: a Kestrel server on 127.0.0.1 (a port the kernel picks) that answers as the pod
/// <see cref="Pod"/>. <c>/ws</c> echoes WebSocket messages; <c>/grpc</c> answers like a gRPC server (content type
/// <c>application/grpc</c>, trailer <c>grpc-status: 0</c>), and so does any request of that content type; <c>/slow</c>
/// answers after 2 s; any other path describes the request, one <c>name=value</c> per line: pod, protocol, target, the
/// headers a proxy sets, and every <c>X-Test-*</c> header.
/// </summary>
internal sealed class TestBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _connections;
    private int _requests;

    private TestBackend(string pod, WebApplication app)
    {
        Pod = pod;
        _app = app;
    }

    public string Pod { get; }

    public IPEndPoint EndPoint { get; private set; } = null!;

    /// <summary>Requests the backend answered (a mirrored request counts too).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>TCP connections the backend accepted, to show keep-alive reuse.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <param name="protocols">HTTP/1.1 for plain backends; HTTP/2 alone for h2c (prior knowledge) backends.</param>
    public static async Task<TestBackend> StartAsync(string pod, HttpProtocols protocols = HttpProtocols.Http1)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        TestBackend? backend = null;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = protocols;
            listen.Use(next => connection =>
            {
                Interlocked.Increment(ref backend!._connections);
                return next(connection);
            });
        }));
        var app = builder.Build();
        backend = new TestBackend(pod, app);
        app.UseWebSockets();
        app.Run(backend.AnswerAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        backend.EndPoint = new IPEndPoint(IPAddress.Loopback, new Uri(address).Port);
        return backend;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Path == "/ws" && context.WebSockets.IsWebSocketRequest)
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[4096];
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
                    return;
                }

                var echo = Encoding.UTF8.GetBytes($"{Pod}: {Encoding.UTF8.GetString(buffer, 0, received.Count)}");
                await socket.SendAsync(echo, WebSocketMessageType.Text, endOfMessage: true, context.RequestAborted);
            }
        }

        var served = Interlocked.Increment(ref _requests);
        if (request.Path == "/fail" && int.TryParse(request.Query["every"], out var every) && every > 0 && served % every == 0)
        {
            // One request in N fails (N counts every request this backend served), for retries.
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        if (request.Path == "/slow")
        {
            await Task.Delay(TimeSpan.FromSeconds(2), context.RequestAborted);
        }

        if (request.Path == "/grpc" || request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
        {
            context.Response.ContentType = "application/grpc";
            context.Response.DeclareTrailer("grpc-status");
            await context.Response.Body.WriteAsync(new byte[] { 0, 0, 0, 0, 0 });
            context.Response.AppendTrailer("grpc-status", "0");
            context.Response.AppendTrailer("grpc-message", Pod);
            return;
        }

        var body = new StringBuilder();
        body.Append("pod=").AppendLine(Pod);
        body.Append("protocol=").AppendLine(request.Protocol);
        body.Append("target=").AppendLine(request.Path + request.QueryString);
        foreach (var header in new[] { "Host", "X-Forwarded-For", "X-Real-IP", "X-Forwarded-Proto", "X-Forwarded-Host" })
        {
            body.Append(header.ToLowerInvariant()).Append('=').AppendLine(request.Headers[header].ToString());
        }

        foreach (var (name, values) in request.Headers.Where(h => h.Key.StartsWith("X-Test-", StringComparison.OrdinalIgnoreCase)))
        {
            body.Append(name.ToLowerInvariant()).Append('=').AppendLine(values.ToString());
        }

        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            using var reader = new StreamReader(request.Body);
            body.Append("body=").AppendLine(await reader.ReadToEndAsync(context.RequestAborted));
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(body.ToString());
    }
}
