using System.Globalization;
using System.Net;
using Maille.Model;

namespace Maille.Engine.Trace;

/// <summary>
/// A parsed <c>--to</c>: <c>NS/POD:PORT[/PROTO]</c>, a Service DNS name <c>NAME.NS[.svc[.DOMAIN]]:PORT[/PROTO]</c>, or
/// <c>IP:PORT[/PROTO]</c>. Protocol defaults to TCP.
/// </summary>
internal sealed record TraceTarget(string Text, string? PodName, string? ServiceName, string? Namespace, IPAddress? Address, int Port, Protocol Protocol)
{
    public static TraceTarget? TryParse(string text, string dnsDomain, out string? error)
    {
        error = null;
        var colon = text.LastIndexOf(':');
        if (text.Contains("://", StringComparison.Ordinal))
        {
            error = $"\"{text}\": HTTP destinations are answered by the Ingress router, which is not part of this build yet; trace a Service or pod instead";
            return null;
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
        if (labels.Length != 2)
        {
            error = $"\"{text}\": a Service is NAME.NAMESPACE[.svc[.{dnsDomain}]]:PORT";
            return null;
        }

        return new TraceTarget(text, null, labels[0], labels[1], null, port, protocol);
    }

    public string PortText => $"{Port}/{Protocol}";
}
