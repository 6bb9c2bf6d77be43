using System.Globalization;
using Maille.Engine.Gateways;
using Maille.Lab.Gateways;
using Maille.Lab.Workloads;
using Maille.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Maille.Lab.Ingresses;

/// <summary>
/// The Gateways' requests: the proxy pod that accepted the connection names the Gateway, the port its listener; the
/// engine's <see cref="GatewayRouteTable"/> decides everything (listener, route, rule, backend drawn by weight, the
/// status, the redirect's Location, the rewritten path and Host), and this code only carries the decision out: the
/// header modifiers, mirrors, timeouts, and the forwarding the Ingress requests share.
/// </summary>
internal sealed partial class IngressProxyApp
{
    private async Task ServeGatewayAsync(HttpContext context, GatewayProxyState gateways, bool https)
    {
        var started = timeProvider.GetTimestamp();
        var port = context.Features.Get<PodPortFeature>()?.Port;
        var request = context.Request;
        GatewayDecision? decision = null;
        if (port is not { } accepted || gateways.TableFor(accepted.Pod) is not { } table)
        {
            await RefuseAsync(context, StatusCodes.Status404NotFound, "this proxy pod serves no Gateway");
        }
        else
        {
            var asked = GatewayRequestOf(request, accepted.Port, https);
            decision = table.Match(asked);
            var total = decision.Backends.Sum(b => (long)b.Weight);
            if (decision.Backend is not null && decision.Backends.Count(b => b.Weight > 0) > 1)
            {
                decision = table.Match(asked, (int)Random.Shared.NextInt64(Math.Min(total, int.MaxValue)));
            }

            await CarryOutAsync(context, gateways, decision, port);
        }

        if (options.AccessLog && accessLog.IsEnabled)
        {
            var elapsed = timeProvider.GetElapsedTime(started);
            accessLog.Write(string.Create(CultureInfo.InvariantCulture,
                $"{context.Connection.RemoteIpAddress?.ToString() ?? "-"} via {port?.Pod.ToString() ?? "-"} \"{request.Method} {request.Scheme}://{request.Host.Value}{request.Path.Value}{request.QueryString.Value} {request.Protocol}\" {context.Response.StatusCode} {elapsed.TotalMilliseconds:F1}ms gateway={decision?.Gateway ?? "-"} route={decision?.Route ?? "-"} service={decision?.Backend?.Service ?? "-"}"));
        }
    }

    private async Task CarryOutAsync(HttpContext context, GatewayProxyState gateways, GatewayDecision decision, PodPort? port)
    {
        if (decision.Location is { } location)
        {
            context.Response.StatusCode = decision.Status;
            context.Response.Headers.Location = location;
            return;
        }

        if (decision.Status != StatusCodes.Status200OK || decision.Backend is not { } backend)
        {
            await RefuseAsync(context, decision.Status, decision.Reason);
            return;
        }

        var grpc = decision.RouteKind == GatewayApi.GrpcRouteKind;
        var (endpoints, protocol) = gateways.Endpoints(backend.Service, backend.Port, grpc);
        if (endpoints.IsEmpty)
        {
            await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, $"Service {backend.Service} has no ready endpoint for port {backend.Port}");
            return;
        }

        HttpRouteFilter? rewrite = null;
        foreach (var filter in decision.Filters)
        {
            switch (filter.Type)
            {
                case "RequestHeaderModifier" when filter.RequestHeaderModifier is { } modifier:
                    Modify(context.Request.Headers, modifier);
                    break;
                case "ResponseHeaderModifier" when filter.ResponseHeaderModifier is { } modifier:
                    context.Response.OnStarting(() =>
                    {
                        Modify(context.Response.Headers, modifier);
                        return Task.CompletedTask;
                    });
                    break;
                case "RequestMirror" when filter.RequestMirror is { } mirror && decision.Route is { } route:
                    Mirror(context, gateways, decision.RouteKind!, route[..route.IndexOf('/', StringComparison.Ordinal)], mirror);
                    break;
                case "URLRewrite":
                    rewrite = filter;
                    break;
            }
        }

        HttpTransformer transformer = rewrite is null ? ForwardedHeadersTransformer.Instance : new GatewayRewriteTransformer(decision.BackendPath!, decision.BackendHost);
        if (decision.Retry is { } retry)
        {
            transformer = new Mesh.RetryPolicyTransformer(transformer, retry);
        }

        var timeout = Shortest(decision.RequestTimeout, decision.BackendRequestTimeout);
        if (timeout is null)
        {
            await ForwardAsync(context, endpoints, protocol, backend.Service, transformer);
            return;
        }

        // The route's timeout bounds the whole exchange with the backend: the forwarder sees the request aborted when it
        // passes, and the client gets 504 when nothing was sent yet (the spec's answer to a timeout).
        var clientAborted = context.RequestAborted;
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(clientAborted);
        timer.CancelAfter(timeout.Value);
        context.RequestAborted = timer.Token;
        await ForwardAsync(context, endpoints, protocol, backend.Service, transformer);
        context.RequestAborted = clientAborted;
        if (timer.IsCancellationRequested && !clientAborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            context.Features.Set<IForwarderErrorFeature>(null);
            await RefuseAsync(context, StatusCodes.Status504GatewayTimeout, $"{decision.Reason}: no answer within the route's timeout ({timeout.Value})");
        }
    }

    /// <summary>The request as the engine sees it; every header value is one entry, as it came.</summary>
    internal static GatewayRequest GatewayRequestOf(HttpRequest request, int port, bool https)
    {
        var headers = new List<KeyValuePair<string, string>>(request.Headers.Count);
        foreach (var (name, values) in request.Headers)
        {
            foreach (var value in values)
            {
                headers.Add(new(name, value ?? ""));
            }
        }

        return new GatewayRequest
        {
            Scheme = https ? "https" : "http",
            Host = request.Host.Value ?? "",
            Port = port,
            Path = request.Path.HasValue ? request.Path.Value! : "/",
            Query = request.QueryString.HasValue ? request.QueryString.Value![1..] : "",
            Method = request.Method,
            Headers = headers,
        };
    }

    /// <summary>A header modifier as the spec orders it: set (replace), add (append), remove; names without case.</summary>
    internal static void Modify(IHeaderDictionary headers, HttpHeaderModifier modifier)
    {
        foreach (var header in modifier.Set)
        {
            headers[header.Name] = header.Value;
        }

        foreach (var header in modifier.Add)
        {
            headers.Append(header.Name, header.Value);
        }

        foreach (var name in modifier.Remove)
        {
            headers.Remove(name);
        }
    }

    /// <summary>
    /// Sends a copy of the request (method, path, query, headers; not the body, which the backend reads) to a ready
    /// endpoint of the mirror's backend, in its share of requests; its answer is dropped, and so are its failures.
    /// </summary>
    private void Mirror(HttpContext context, GatewayProxyState gateways, string routeKind, string routeNamespace, HttpRequestMirror mirror)
    {
        var (numerator, denominator) = mirror.Percent is { } percent ? (percent, 100)
            : mirror.FractionNumerator is { } fraction ? (fraction, mirror.FractionDenominator)
            : (1, 1); // neither: every request
        if (numerator < denominator && Random.Shared.Next(denominator) >= numerator)
        {
            return;
        }

        if (gateways.Mirror(routeKind, routeNamespace, mirror.BackendRef) is not { IsEmpty: false } endpoints)
        {
            return;
        }

        var endpoint = endpoints[Random.Shared.Next(endpoints.Length)];
        var request = context.Request;
        var copy = new HttpRequestMessage(new HttpMethod(request.Method), endpoint.Origin + request.Path.ToUriComponent() + request.QueryString.ToUriComponent());
        foreach (var (name, values) in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values); // content headers have no body to go with
        }

        copy.Headers.Host = request.Host.Value;
        var client = clients.For(context.Features.Get<PodPortFeature>()?.Port.Pod);
        _ = Task.Run(async () =>
        {
            try
            {
                using var timeout = new CancellationTokenSource(options.UpstreamActivityTimeout);
                using var response = await client.SendAsync(copy, timeout.Token);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                if (logger.IsEnabled(LogLevel.Debug))
                {
                    var at = endpoint.ToString();
                    LogMirrorFailed(logger, at, e.Message);
                }
            }
            finally
            {
                copy.Dispose();
            }
        });
    }

    internal static TimeSpan? Shortest(TimeSpan? request, TimeSpan? backendRequest) =>
        (request is { } a && a > TimeSpan.Zero ? a : (TimeSpan?)null, backendRequest is { } b && b > TimeSpan.Zero ? b : (TimeSpan?)null) switch
        {
            ({ } x, { } y) => x < y ? x : y,
            ({ } x, null) => x,
            (null, { } y) => y,
            _ => null,
        };

    [LoggerMessage(EventId = 419, Level = LogLevel.Debug, Message = "Mirrored request to {Endpoint} failed: {Reason}")]
    private static partial void LogMirrorFailed(ILogger logger, string endpoint, string reason);
}
