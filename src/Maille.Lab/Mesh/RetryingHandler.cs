using Maille.Model;

namespace Maille.Lab.Mesh;

/// <summary>
/// Carries out an HTTPRoute rule's <c>retry</c> (GEP-1731) under the forwarder: a request whose answer has one of the
/// policy's codes, or whose connection could not be made, is sent again — at most <see cref="HttpRouteRetry.Attempts"/>
/// more times (2 when unset, Istio's default), after the backoff (25 ms when unset, Envoy's base interval). Only
/// requests without a body are sent again: a body the client streams cannot be replayed. The policy travels in the
/// request's options (<see cref="Policy"/>), set by the waypoint for the matched rule.
/// </summary>
internal sealed class RetryingHandler(TimeProvider time) : DelegatingHandler
{
    public const int DefaultAttempts = 2;

    public static readonly TimeSpan DefaultBackoff = TimeSpan.FromMilliseconds(25);

    public static readonly HttpRequestOptionsKey<HttpRouteRetry> Policy = new("maille.retry");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(Policy, out var retry) || request.Content is not null)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var attempts = retry.Attempts ?? DefaultAttempts;
        var backoff = GatewayDuration.TryParse(retry.Backoff) ?? DefaultBackoff;
        for (var attempt = 0; ; attempt++)
        {
            var sending = attempt == 0 ? request : Copy(request);
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(sending, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError && attempt < attempts)
            {
                await Task.Delay(backoff, time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (attempt >= attempts || !retry.Codes.Contains((int)response.StatusCode))
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(backoff, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A new message for the same request (a message is sent once): method, address, version and headers.</summary>
    private static HttpRequestMessage Copy(HttpRequestMessage request)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version, VersionPolicy = request.VersionPolicy };
        foreach (var (name, values) in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(name, values);
        }

        return copy;
    }
}
