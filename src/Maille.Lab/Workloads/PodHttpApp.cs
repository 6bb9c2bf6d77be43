using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebSockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Maille.Lab.Workloads;

/// <summary>
/// The HTTP endpoints every pod's TCP ports answer, in the spirit of agnhost, each for the pod the connection was
/// accepted for (its <see cref="PodPortFeature"/>):
/// <c>/hostname</c> the pod's <c>namespace/name</c>; <c>/clientip</c> the peer as seen, <c>ip:port</c>;
/// <c>/echo?msg=X</c> X; <c>/healthz</c> 200 <c>ok</c> when the pod is ready, else 503;
/// <c>/ws</c> a WebSocket that sends back every message it receives (426 without an Upgrade);
/// <c>/fail?every=N&amp;code=C</c> a backend that fails one request in N (for retries);
/// any other path a JSON description of the request as it arrived, to show what a proxy or NAT did to it.
/// Every method is answered the same way, over HTTP/1.1 and HTTP/2 alike, except a gRPC call (HTTP/2 with a
/// <c>content-type</c> of <c>application/grpc</c>…), to any method, which succeeds with the pod's name (<see cref="GrpcAsync"/>).
/// </summary>
internal sealed partial class PodHttpApp : IHttpApplication<HttpContext>
{
    private const string TextPlain = "text/plain; charset=utf-8";
    private const string ApplicationJson = "application/json; charset=utf-8";
    private const string ApplicationGrpc = "application/grpc";

    /// <summary>One gRPC message frame: not compressed, length 0, no bytes.</summary>
    private static readonly byte[] EmptyGrpcMessage = new byte[5];

    // Relaxed escaping keeps '&', '<', '+' readable; the body is served as application/json, never embedded in HTML.
    private static readonly JsonWriterOptions JsonOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Largest WebSocket frame read at once; a longer message is echoed in pieces, each as received.</summary>
    private const int WebSocketBufferSize = 4096;

    private readonly PodDirectory _pods;

    // Requests to /fail per pod port: every Nth fails, counted across connections, so "one in N" holds exactly.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<PodPort, StrongBox<long>> _failCounts = new();
    private readonly PodLogs _logs;
    private readonly ILogger _logger;

    // ASP.NET Core's own WebSocket handshake (the middleware adds the WebSocket feature to Upgrade requests).
    private readonly RequestDelegate _webSocket;

    public PodHttpApp(PodDirectory pods, PodLogs logs, ILoggerFactory loggerFactory)
    {
        _pods = pods;
        _logs = logs;
        _logger = loggerFactory.CreateLogger<PodHttpApp>();
        _webSocket = new WebSocketMiddleware(EchoAsync, Options.Create(new WebSocketOptions()), loggerFactory).Invoke;
    }

    public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

    public void DisposeContext(HttpContext context, Exception? exception)
    {
        if (exception is not null)
        {
            LogRequestFailed(context.Request.Path, exception);
        }

        // The pod's log (kubectl logs): one line per request, as a web server's access log.
        if (context.Features.Get<PodPortFeature>()?.Port is { } port)
        {
            var request = context.Request;
            _logs.Append(port.Pod.ToString(), PodLogs.ServerLog, $"{ClientAddress(context.Connection)} \"{request.Method} {request.Path}{request.QueryString} {request.Protocol}\" {(exception is null ? context.Response.StatusCode : 500)} (port {port.Port})");
        }
    }

    public Task ProcessRequestAsync(HttpContext context)
    {
        var port = context.Features.Get<PodPortFeature>()?.Port
            ?? throw new InvalidOperationException("The connection carries no pod port; it did not come from the pod transport.");
        var request = context.Request;
        if (HttpProtocol.IsHttp2(request.Protocol) && request.ContentType?.StartsWith(ApplicationGrpc, StringComparison.OrdinalIgnoreCase) == true)
        {
            return GrpcAsync(context, port);
        }

        return request.Path.Value switch
        {
            "/hostname" => WriteAsync(context, StatusCodes.Status200OK, TextPlain, port.Pod.ToString()),
            "/clientip" => WriteAsync(context, StatusCodes.Status200OK, TextPlain, ClientAddress(context.Connection)),
            "/echo" => WriteAsync(context, StatusCodes.Status200OK, TextPlain, request.Query["msg"] is [var msg, ..] ? msg ?? "" : ""),
            "/ws" => _webSocket(context),
            "/fail" => FailAsync(context, port),
            "/healthz" => _pods.IsReady(port.Pod)
                ? WriteAsync(context, StatusCodes.Status200OK, TextPlain, "ok")
                : WriteAsync(context, StatusCodes.Status503ServiceUnavailable, TextPlain, "not ready"),
            _ => WriteAsync(context, StatusCodes.Status200OK, ApplicationJson, Describe(context, port)),
        };
    }

    /// <summary>
    /// <c>/fail?every=N&amp;code=C</c>: the Nth, 2Nth, … request to this pod port answers C (default 503), the others 200
    /// with the pod's name; N defaults to 1 (every request fails). A bad N or C is a 400.
    /// </summary>
    private Task FailAsync(HttpContext context, PodPort port)
    {
        var query = context.Request.Query;
        if (!TryQueryNumber(query, "every", 1, out var every) || every < 1 || !TryQueryNumber(query, "code", StatusCodes.Status503ServiceUnavailable, out var code) || code is < 200 or > 599)
        {
            return WriteAsync(context, StatusCodes.Status400BadRequest, TextPlain, "/fail takes every=N (N >= 1) and code=C (200-599)");
        }

        var count = Interlocked.Increment(ref _failCounts.GetOrAdd(port, _ => new StrongBox<long>()).Value);
        return count % every == 0
            ? WriteAsync(context, (int)code, TextPlain, $"{port.Pod} fails request {count} (one in {every})")
            : WriteAsync(context, StatusCodes.Status200OK, TextPlain, port.Pod.ToString());
    }

    /// <summary>
    /// A gRPC call to any service and method, answered as a unary call that succeeded: its request messages are read
    /// and dropped, and the answer is one empty message (which every protobuf message type reads as its defaults),
    /// <c>grpc-status: 0</c> and the pod's <c>namespace/name</c> in <c>grpc-message</c>, so a client (or a conformance
    /// test) can tell which pod answered. Pod names are DNS labels, so the message needs none of gRPC's percent-encoding.
    /// </summary>
    private static async Task GrpcAsync(HttpContext context, PodPort port)
    {
        await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ApplicationGrpc;
        await response.Body.WriteAsync(EmptyGrpcMessage, context.RequestAborted);
        response.AppendTrailer("grpc-status", "0");
        response.AppendTrailer("grpc-message", port.Pod.ToString());
    }

    private static bool TryQueryNumber(IQueryCollection query, string name, long fallback, out long value)
    {
        value = fallback;
        return query[name] is not [var text, ..] || long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Sends back each message received, frame by frame, until the client closes.</summary>
    private static async Task EchoAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await WriteAsync(context, StatusCodes.Status426UpgradeRequired, TextPlain, "/ws answers WebSocket upgrades only");
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[WebSocketBufferSize];
        var aborted = context.RequestAborted;
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, aborted);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, aborted);
                return;
            }

            await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, aborted);
        }
    }

    /// <summary>The peer as Go's <c>RemoteAddr</c> shows it: <c>ip:port</c>, <c>[ip6]:port</c>.</summary>
    internal static string ClientAddress(ConnectionInfo connection) => FormatEndPoint(connection.RemoteIpAddress, connection.RemotePort);

    private static string FormatEndPoint(IPAddress? address, int port)
    {
        if (address is null)
        {
            return "";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return new IPEndPoint(address, port).ToString();
    }

    private static byte[] Describe(HttpContext context, PodPort port)
    {
        var request = context.Request;
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            json.WriteString("pod", port.Pod.ToString());
            json.WriteString("method", request.Method);
            json.WriteString("path", request.Path.Value);
            json.WriteString("query", request.QueryString.HasValue ? request.QueryString.Value![1..] : "");
            json.WriteString("host", request.Host.Value);
            json.WriteStartObject("headers");
            foreach (var header in request.Headers)
            {
                json.WriteString(header.Key, header.Value.ToString());
            }

            json.WriteEndObject();
            json.WriteString("clientIP", ClientAddress(context.Connection));
            json.WriteString("serverAddress", FormatEndPoint(context.Connection.LocalIpAddress, context.Connection.LocalPort));
            json.WriteString("target", context.Features.Get<IHttpRequestFeature>()?.RawTarget);
            json.WriteString("protocol", request.Protocol);
            json.WriteEndObject();
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private static Task WriteAsync(HttpContext context, int status, string contentType, string body) =>
        WriteAsync(context, status, contentType, Encoding.UTF8.GetBytes(body));

    private static Task WriteAsync(HttpContext context, int status, string contentType, byte[] body)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body).AsTask();
    }
}
