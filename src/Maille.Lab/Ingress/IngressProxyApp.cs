using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using Maille.Engine.Ingresses;
using Maille.Lab.Workloads;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Maille.Lab.Ingresses;

/// <summary>
/// Answers every request of the proxy, without a middleware pipeline: the engine's router decides (Host and path,
/// from the state current when the request starts), and YARP's <see cref="IHttpForwarder"/> only forwards. A routed
/// request goes to the route's ready endpoints in turn (one counter across all requests spreads them); when a
/// connection to an endpoint cannot be made, and nothing has been sent to it yet, the next endpoint is tried, up to
/// <see cref="IngressProxyOptions.MaxConnectAttempts"/>. The metrics listener answers <c>/metrics</c> and <c>/healthz</c>.
/// </summary>
internal sealed partial class IngressProxyApp(
    Func<IngressProxyState> state,
    IHttpForwarder forwarder,
    UpstreamClients clients,
    IngressProxyMetrics metrics,
    IngressProxyOptions options,
    TimeProvider timeProvider,
    ILogger logger,
    IngressAccessLog accessLog) : IHttpApplication<HttpContext>
{
    private const string TextPlain = "text/plain; charset=utf-8";

    private readonly ForwarderRequestConfig _http11 = new()
    {
        ActivityTimeout = options.UpstreamActivityTimeout,
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
    };

    // h2c: HTTP/2 by prior knowledge, since without TLS there is no ALPN to agree on it.
    private readonly ForwarderRequestConfig _h2c = new()
    {
        ActivityTimeout = options.UpstreamActivityTimeout,
        Version = HttpVersion.Version20,
        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    private long _next;

    public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

    public void DisposeContext(HttpContext context, Exception? exception)
    {
        if (exception is not null)
        {
            LogRequestFailed(logger, context.Request.Host.Value, context.Request.Path.Value, exception);
        }
    }

    public async Task ProcessRequestAsync(HttpContext context)
    {
        var role = context.Features.Get<IngressListenerFeature>()?.Role;
        if (role == IngressListenerRole.Metrics)
        {
            await ServeOwnAsync(context);
            return;
        }

        if (role is IngressListenerRole.GatewayHttp or IngressListenerRole.GatewayHttps)
        {
            await ServeGatewayAsync(context, state().Gateways, role == IngressListenerRole.GatewayHttps);
            return;
        }

        var started = timeProvider.GetTimestamp();
        var request = context.Request;
        var decision = state().Table.Route(request.Host.Value, request.Path.Value);
        IngressEndpoint? upstream = null;
        if (decision.Outcome == IngressOutcome.Routed)
        {
            upstream = await ForwardAsync(context, decision.Route!.Endpoints, decision.Route.Protocol, decision.Route.ServiceName, ForwardedHeadersTransformer.Instance);
        }
        else
        {
            await RefuseAsync(context, decision.StatusCode, decision.Reason);
        }

        var elapsed = timeProvider.GetElapsedTime(started);
        var route = decision.Route;
        var status = context.Response.StatusCode;
        metrics.Observe(route?.IngressName ?? "", route?.ServiceName ?? "", status, elapsed);
        if (options.AccessLog && accessLog.IsEnabled)
        {
            var via = context.Features.Get<PodPortFeature>()?.Port.Pod.ToString() ?? "-";
            accessLog.Write(string.Create(CultureInfo.InvariantCulture,
                $"{context.Connection.RemoteIpAddress?.ToString() ?? "-"} via {via} \"{request.Method} {request.Scheme}://{request.Host.Value}{request.Path.Value}{request.QueryString.Value} {request.Protocol}\" {status} {elapsed.TotalMilliseconds:F1}ms ingress={route?.IngressName ?? "-"} service={route?.ServiceName ?? "-"} upstream={upstream?.ToString() ?? "-"}"));
        }
    }

    /// <summary>Forwards to one of <paramref name="endpoints"/> (in turn across requests), trying the next when a connection cannot be made.</summary>
    private async Task<IngressEndpoint> ForwardAsync(HttpContext context, ImmutableArray<IngressEndpoint> endpoints, BackendProtocol protocol, string? serviceName, HttpTransformer transformer)
    {
        var attempts = Math.Min(endpoints.Length, options.MaxConnectAttempts);
        var first = (int)((ulong)Interlocked.Increment(ref _next) % (ulong)endpoints.Length);
        var client = clients.For(context.Features.Get<PodPortFeature>()?.Port.Pod);
        var config = protocol == BackendProtocol.Http ? _http11 : _h2c;
        for (var attempt = 0; ; attempt++)
        {
            var endpoint = endpoints[(first + attempt) % endpoints.Length];
            var error = await forwarder.SendAsync(context, endpoint.Origin, client, config, transformer);
            if (error == ForwarderError.None)
            {
                return endpoint;
            }

            var failure = context.Features.Get<IForwarderErrorFeature>()?.Exception;
            if (!IsConnectFailure(error, failure))
            {
                if (logger.IsEnabled(LogLevel.Information))
                {
                    var at = endpoint.ToString();
                    LogForwardFailed(logger, serviceName, at, error, failure);
                }

                return endpoint;
            }

            metrics.ConnectFailed(serviceName!);
            var retry = attempt + 1 < attempts && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested;
            if (logger.IsEnabled(LogLevel.Warning))
            {
                var at = endpoint.ToString();
                var reason = failure?.InnerException?.Message ?? failure?.Message;
                LogConnectFailed(logger, serviceName, at, retry, reason);
            }
            if (!retry)
            {
                return endpoint;
            }

            // The forwarder answered 502 without sending anything; start the next attempt from a clean response.
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Features.Set<IForwarderErrorFeature>(null);
        }
    }

    /// <summary>A connection that could not be made: nothing reached the endpoint, so another one may take the request.</summary>
    private static bool IsConnectFailure(ForwarderError error, Exception? failure) =>
        error == ForwarderError.Request && failure is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError };

    /// <summary>Answers the request itself: <c>404 Not Found: REASON</c> and so on, as plain text.</summary>
    internal static Task RefuseAsync(HttpContext context, int status, string reason)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = TextPlain;
        return context.Response.WriteAsync($"{status} {ReasonPhrases.GetReasonPhrase(status)}: {reason}\n", context.RequestAborted);
    }

    private Task ServeOwnAsync(HttpContext context)
    {
        var response = context.Response;
        switch (context.Request.Path.Value)
        {
            case "/metrics":
                response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                return metrics.WriteAsync(response.Body, context.RequestAborted);
            case "/healthz":
                response.ContentType = TextPlain;
                return response.WriteAsync("ok\n", context.RequestAborted);
            default:
                response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
        }
    }

    [LoggerMessage(EventId = 416, Level = LogLevel.Warning, Message = "Cannot connect to {Endpoint} of {Service} (trying another endpoint: {Retry}): {Reason}")]
    private static partial void LogConnectFailed(ILogger logger, string? service, string endpoint, bool retry, string? reason);

    [LoggerMessage(EventId = 417, Level = LogLevel.Information, Message = "Forwarding to {Endpoint} of {Service} ended with {Error}")]
    private static partial void LogForwardFailed(ILogger logger, string? service, string endpoint, ForwarderError error, Exception? exception);

    [LoggerMessage(EventId = 418, Level = LogLevel.Error, Message = "Request for {Host}{Path} failed")]
    private static partial void LogRequestFailed(ILogger logger, string? host, string? path, Exception exception);
}
