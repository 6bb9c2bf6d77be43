using System.Net;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Maille.Lab.Ingresses;

/// <summary>
/// Copies the request as it came (path and query unchanged, Host kept as the client sent it, as ingress-nginx does)
/// and sets the headers a backend behind an Ingress expects: <c>X-Forwarded-For</c> and <c>X-Real-IP</c> (the client's
/// address), <c>X-Forwarded-Proto</c> (<c>http</c> or <c>https</c> as the client spoke to the controller) and
/// <c>X-Forwarded-Host</c> (the Host header). The controller is the edge: values of these headers sent by the client
/// are replaced, not appended to, since nothing vouches for them.
/// </summary>
internal sealed class ForwardedHeadersTransformer : HttpTransformer
{
    public const string ForwardedFor = "X-Forwarded-For";
    public const string ForwardedProto = "X-Forwarded-Proto";
    public const string ForwardedHost = "X-Forwarded-Host";
    public const string RealIp = "X-Real-IP";

    public static ForwardedHeadersTransformer Instance { get; } = new();

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        var request = httpContext.Request;
        var headers = proxyRequest.Headers;
        var client = ClientAddress(httpContext.Connection.RemoteIpAddress);
        headers.Remove(ForwardedFor);
        headers.Remove(RealIp);
        headers.Remove(ForwardedProto);
        headers.Remove(ForwardedHost);
        if (client is not null)
        {
            headers.TryAddWithoutValidation(ForwardedFor, client);
            headers.TryAddWithoutValidation(RealIp, client);
        }

        headers.TryAddWithoutValidation(ForwardedProto, request.IsHttps ? "https" : "http");
        if (request.Host.HasValue)
        {
            headers.TryAddWithoutValidation(ForwardedHost, request.Host.Value);
            headers.Host = request.Host.Value;
        }
    }

    private static string? ClientAddress(IPAddress? address) =>
        address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}
