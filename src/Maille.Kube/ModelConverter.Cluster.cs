using k8s.Models;
using Maille.Engine.Validation;
using Maille.Model;

namespace Maille.Kube;

internal sealed partial class ModelConverter
{
    public Namespace ConvertNamespace(V1Namespace ns, SourceLocation source)
    {
        var errors = Errors("Namespace", null, ns.Metadata?.Name ?? "", source);
        CheckMeta(errors, ns.Metadata, NameRules.Dns1123Label);
        var meta = Meta(ns.Metadata, null, source);
        return new Namespace { Meta = meta with { Labels = meta.Labels.With(Namespace.NameLabel, meta.Name) } };
    }

    public Node ConvertNode(V1Node node, SourceLocation source)
    {
        var errors = Errors("Node", null, node.Metadata?.Name ?? "", source);
        CheckMeta(errors, node.Metadata, NameRules.Dns1123Subdomain);
        System.Net.IPNetwork? podCidr = null;
        if (!string.IsNullOrEmpty(node.Spec?.PodCIDR))
        {
            podCidr = IpBlock.TryParse(node.Spec.PodCIDR);
            if (podCidr is null)
            {
                errors.Invalid("spec.podCIDR", node.Spec.PodCIDR, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
            }
        }

        var internalIP = node.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address;
        return new Node
        {
            Meta = Meta(node.Metadata, null, source),
            PodCidr = podCidr,
            InternalIP = Address(internalIP),
            Unschedulable = node.Spec?.Unschedulable ?? false,
        };
    }

    public EndpointSlice ConvertEndpointSlice(V1EndpointSlice slice, string ns, SourceLocation source)
    {
        var errors = Errors("EndpointSlice", ns, slice.Metadata?.Name ?? "", source);
        CheckMeta(errors, slice.Metadata, NameRules.Dns1123Subdomain);
        if (slice.AddressType is not ("IPv4" or "IPv6" or "FQDN"))
        {
            errors.NotSupported("addressType", slice.AddressType, ["FQDN", "IPv4", "IPv6"]);
        }

        var ports = (slice.Ports ?? []).Select((p, i) => new EndpointPort(p.Name, p.Port, ProtocolOf(errors, p.Protocol, $"ports[{i}].protocol"), p.AppProtocol));
        var endpoints = new List<Endpoint>();
        for (var i = 0; i < (slice.Endpoints?.Count ?? 0); i++)
        {
            var endpoint = slice.Endpoints![i];
            if ((endpoint.Addresses?.Count ?? 0) == 0)
            {
                errors.Required($"endpoints[{i}].addresses", "must contain at least 1 address");
            }

            foreach (var (address, a) in (endpoint.Addresses ?? []).Select((x, a) => (x, a)))
            {
                CheckEndpointAddress(errors, slice.AddressType, address ?? "", $"endpoints[{i}].addresses[{a}]");
            }

            var ready = endpoint.Conditions?.Ready ?? true;
            endpoints.Add(new Endpoint
            {
                Addresses = new(endpoint.Addresses ?? []),
                Conditions = new EndpointConditions(ready, endpoint.Conditions?.Serving ?? ready, endpoint.Conditions?.Terminating ?? false),
                NodeName = endpoint.NodeName,
                Hostname = endpoint.Hostname,
                Zone = endpoint.Zone,
                TargetPod = endpoint.TargetRef is { Kind: "Pod" } target ? $"{target.NamespaceProperty ?? ns}/{target.Name}" : null,
            });
        }

        return new EndpointSlice
        {
            Meta = Meta(slice.Metadata, ns, source),
            AddressType = slice.AddressType ?? "IPv4",
            Ports = new(ports),
            Endpoints = new(endpoints),
            UserProvided = true,
        };
    }

    /// <summary>
    /// validateEndpoints: the address must be of the slice's family (IsValidIPv4Address / IsValidIPv6Address), then
    /// ValidateEndpointIP refuses addresses no Service should send to; an FQDN slice holds fully qualified names.
    /// </summary>
    private static void CheckEndpointAddress(FieldErrors errors, string? addressType, string text, string path)
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
            "IPv4" => System.Net.Sockets.AddressFamily.InterNetwork,
            "IPv6" => System.Net.Sockets.AddressFamily.InterNetworkV6,
            _ => (System.Net.Sockets.AddressFamily?)null,
        };
        if (family is null)
        {
            return;
        }

        var address = Address(text);
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
        if (address.Equals(System.Net.IPAddress.Any) || address.Equals(System.Net.IPAddress.IPv6Any))
        {
            errors.Invalid(path, text, $"may not be unspecified ({text})");
        }

        if (System.Net.IPAddress.IsLoopback(address))
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

    public IngressClass ConvertIngressClass(V1IngressClass ingressClass, SourceLocation source)
    {
        var errors = Errors("IngressClass", null, ingressClass.Metadata?.Name ?? "", source);
        CheckMeta(errors, ingressClass.Metadata, NameRules.Dns1123Subdomain);
        return new IngressClass { Meta = Meta(ingressClass.Metadata, null, source), Controller = ingressClass.Spec?.Controller };
    }

    public Secret ConvertSecret(V1Secret secret, string ns, SourceLocation source)
    {
        var errors = Errors("Secret", ns, secret.Metadata?.Name ?? "", source);
        CheckMeta(errors, secret.Metadata, NameRules.Dns1123Subdomain);
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in secret.Data ?? new Dictionary<string, byte[]>())
        {
            data[key] = value;
        }

        foreach (var (key, value) in secret.StringData ?? new Dictionary<string, string>())
        {
            data[key] = System.Text.Encoding.UTF8.GetBytes(value);
        }

        var type = secret.Type ?? "Opaque";
        if (type == Secret.TlsType)
        {
            foreach (var key in new[] { "tls.crt", "tls.key" }.Where(k => !data.ContainsKey(k)))
            {
                errors.Required($"data[{key}]");
            }
        }

        return new Secret
        {
            Meta = Meta(secret.Metadata, ns, source),
            Type = type,
            Data = System.Collections.Immutable.ImmutableDictionary.CreateRange(StringComparer.Ordinal, data),
        };
    }
}
