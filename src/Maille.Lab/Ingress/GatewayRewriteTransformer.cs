using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Maille.Lab.Ingresses;

/// <summary>
/// A Gateway route's URLRewrite: the forwarded headers of <see cref="ForwardedHeadersTransformer"/>, then the path
/// (and Host, when the filter sets one) the engine computed for the backend (<c>GatewayDecision.BackendPath</c> and
/// <c>BackendHost</c>); the query is kept.
/// </summary>
internal sealed class GatewayRewriteTransformer(string path, string? host) : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await ForwardedHeadersTransformer.Instance.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.RequestUri = new Uri(destinationPrefix + new PathString(path).ToUriComponent() + httpContext.Request.QueryString.ToUriComponent());
        if (host is not null)
        {
            proxyRequest.Headers.Host = host;
        }
    }
}
