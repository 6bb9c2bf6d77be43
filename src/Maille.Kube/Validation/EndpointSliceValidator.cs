using System.Net;
using System.Net.Sockets;
using k8s.Models;
using Maille.Engine.Validation;
using Maille.Model;

namespace Maille.Kube.Validation;

/// <summary>
/// ValidateEndpointSlice, for slices the user writes: the address type, each endpoint's addresses, and the ports'
/// protocols last.
/// </summary>
internal static class EndpointSliceValidator
{
    public static void Validate(V1EndpointSlice slice, string ns, SourceLocation source, List<Diagnostic> diagnostics)
    {
        var errors = ObjectMetaValidator.Validate("EndpointSlice", ns, slice.Metadata, NameRules.Dns1123Subdomain, source, diagnostics);
        if (slice.AddressType is not ("IPv4" or "IPv6" or "FQDN"))
        {
            errors.NotSupported("addressType", slice.AddressType, ["FQDN", "IPv4", "IPv6"]);
        }

        for (var i = 0; i < (slice.Endpoints?.Count ?? 0); i++)
        {
            var endpoint = slice.Endpoints![i];
            if ((endpoint.Addresses?.Count ?? 0) == 0)
            {
                errors.Required($"endpoints[{i}].addresses", "must contain at least 1 address");
            }

            for (var a = 0; a < (endpoint.Addresses?.Count ?? 0); a++)
            {
                ValidateAddress(errors, slice.AddressType, endpoint.Addresses![a] ?? "", $"endpoints[{i}].addresses[{a}]");
            }
        }

        for (var i = 0; i < (slice.Ports?.Count ?? 0); i++)
        {
            PortFieldValidator.ValidateProtocol(errors, slice.Ports![i].Protocol, $"ports[{i}].protocol");
        }
    }

    /// <summary>
    /// validateEndpoints: the address must be of the slice's family (IsValidIPv4Address / IsValidIPv6Address), then
    /// ValidateEndpointIP refuses addresses no Service should send to; an FQDN slice holds fully qualified names.
    /// </summary>
    private static void ValidateAddress(FieldErrors errors, string? addressType, string text, string path)
    {
        if (addressType == "FQDN")
        {
            foreach (var (value, problem) in NameRules.FullyQualifiedDomainName(text))
            {
                errors.Invalid(path, value, problem);
            }

            return;
        }

        var family = addressType switch
        {
            "IPv4" => AddressFamily.InterNetwork,
            "IPv6" => AddressFamily.InterNetworkV6,
            _ => (AddressFamily?)null,
        };
        if (family is null)
        {
            return;
        }

        var address = StrictIPAddress.Parse(text);
        if (address?.AddressFamily != family)
        {
            errors.Invalid(path, text, $"must be a valid {addressType} address");
        }

        if (address is null)
        {
            errors.Invalid(path, text, "must be a valid IP address");
            return;
        }

        var bytes = address.GetAddressBytes();
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            errors.Invalid(path, text, $"may not be unspecified ({text})");
        }

        if (IPAddress.IsLoopback(address))
        {
            errors.Invalid(path, text, "may not be in the loopback range (127.0.0.0/8, ::1/128)");
        }

        if (address.IsIPv6LinkLocal || (bytes.Length == 4 && bytes[0] == 169 && bytes[1] == 254))
        {
            errors.Invalid(path, text, "may not be in the link-local range (169.254.0.0/16, fe80::/10)");
        }

        if ((bytes.Length == 4 && bytes[0] == 224 && bytes[1] == 0 && bytes[2] == 0) || (bytes.Length == 16 && bytes[0] == 0xff && (bytes[1] & 0x0f) == 2))
        {
            errors.Invalid(path, text, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)");
        }
    }
}
