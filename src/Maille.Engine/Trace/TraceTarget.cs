using System.Globalization;
using System.Net;
using Maille.Model;

namespace Maille.Engine.Trace;

/// <summary>
/// A parsed <c>--to</c>: <c>NS/POD:PORT[/PROTO]</c>, a Service DNS name <c>NAME.NS[.svc[.DOMAIN]]:PORT[/PROTO]</c>,
/// <c>IP:PORT[/PROTO]</c>, or an HTTP request <c>http(s)://HOST[:PORT]/PATH</c> for the Ingress controller
/// (<see cref="Http"/>). Protocol defaults to TCP. A short Service name (<c>cartservice:7070</c>) is looked up as a pod
/// would, through the first entry of its search path, <c>NS.svc.DOMAIN</c>, when the trace starts at a pod.
/// </summary>
public sealed record TraceTarget(string Text, string? PodName, string? ServiceName, string? Namespace, IPAddress? Address, int Port, Protocol Protocol)
{
    /// <summary>The HTTP request, for an <c>http://</c> or <c>https://</c> destination.</summary>
    public TraceHttpRequest? Http { get; init; }

    /// <summary>Whether <see cref="Namespace"/> came from the source pod's search path (a short name), not from the text.</summary>
    public bool FromSearchPath { get; init; }

    /// <param name="searchNamespace">The source pod's namespace, whose search path resolves short names; null when
    /// the trace does not start at a pod.</param>
    public static TraceTarget? TryParse(string text, string dnsDomain, out string? error, string? searchNamespace = null)
    {
        error = null;
        var colon = text.LastIndexOf(':');
        if (text.Contains("://", StringComparison.Ordinal))
        {
            return TryParseUrl(text, out error);
        }

        if (colon <= 0 || colon == text.Length - 1)
        {
            error = $"\"{text}\": expected HOST:PORT[/PROTO], e.g. shop/api-0:8080, api.shop:80/TCP or 198.18.128.20:53/UDP";
            return null;
        }

        var host = text[..colon];
        var portText = text[(colon + 1)..];
        var protocol = Protocol.TCP;
        var slash = portText.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (!Enum.TryParse(portText[(slash + 1)..], ignoreCase: true, out protocol) || !Enum.IsDefined(protocol))
            {
                error = $"\"{text}\": protocol must be TCP, UDP or SCTP";
                return null;
            }

            portText = portText[..slash];
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"\"{text}\": port must be a number between 1 and 65535";
            return null;
        }

        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (IPAddress.TryParse(host, out var address))
        {
            return new TraceTarget(text, null, null, null, address, port, protocol);
        }

        if (host.Contains('/', StringComparison.Ordinal))
        {
            var parts = host.Split('/');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                error = $"\"{text}\": a pod is NAMESPACE/NAME:PORT";
                return null;
            }

            return new TraceTarget(text, parts[1], null, parts[0], null, port, protocol);
        }

        var name = host.TrimEnd('.');
        foreach (var suffix in new[] { $".svc.{dnsDomain}", ".svc" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                name = name[..^suffix.Length];
                break;
            }
        }

        var labels = name.Split('.');
        if (labels.Length == 1 && labels[0].Length > 0 && searchNamespace is not null)
        {
            return new TraceTarget(text, null, labels[0], searchNamespace, null, port, protocol) { FromSearchPath = true };
        }

        if (labels.Length != 2)
        {
            error = $"\"{text}\": a Service is NAME.NAMESPACE[.svc[.{dnsDomain}]]:PORT; a short NAME:PORT needs --from a pod, whose search path resolves it";
            return null;
        }

        return new TraceTarget(text, null, labels[0], labels[1], null, port, protocol);
    }

    public string PortText => $"{Port}/{Protocol}";

    private static TraceTarget? TryParseUrl(string text, out string? error)
    {
        error = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            error = $"\"{text}\": expected http://HOST[:PORT]/PATH or https://HOST[:PORT]/PATH, e.g. http://shop.example/api";
            return null;
        }

        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host;
        var address = uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 ? IPAddress.Parse(host) : null;
        var request = new TraceHttpRequest(uri.Scheme, uri.Host, uri.Port, uri.AbsolutePath);
        return new TraceTarget(text, null, null, null, address, uri.Port, Protocol.TCP) { Http = request };
    }
}
