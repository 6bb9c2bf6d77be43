using k8s.Models;
using Maille.Model;

namespace Maille.Kube;

internal static partial class ModelConverter
{
    public static Namespace ConvertNamespace(V1Namespace ns, SourceLocation source)
    {
        var meta = Meta(ns.Metadata, null, source);
        return new Namespace { Meta = meta with { Labels = meta.Labels.With(Namespace.NameLabel, meta.Name) } };
    }

    public static Node ConvertNode(V1Node node, SourceLocation source)
    {
        var internalIP = node.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address;
        return new Node
        {
            Meta = Meta(node.Metadata, null, source),
            PodCidr = string.IsNullOrEmpty(node.Spec?.PodCIDR) ? null : IpBlock.TryParse(node.Spec.PodCIDR),
            InternalIP = StrictIPAddress.Parse(internalIP),
            Unschedulable = node.Spec?.Unschedulable ?? false,
        };
    }

    public static EndpointSlice ConvertEndpointSlice(V1EndpointSlice slice, string ns, SourceLocation source)
    {
        var endpoints = (slice.Endpoints ?? []).Select(endpoint =>
        {
            var ready = endpoint.Conditions?.Ready ?? true;
            return new Endpoint
            {
                Addresses = new(endpoint.Addresses ?? []),
                Conditions = new EndpointConditions(ready, endpoint.Conditions?.Serving ?? ready, endpoint.Conditions?.Terminating ?? false),
                NodeName = endpoint.NodeName,
                Hostname = endpoint.Hostname,
                Zone = endpoint.Zone,
                TargetPod = endpoint.TargetRef is { Kind: "Pod" } target ? $"{target.NamespaceProperty ?? ns}/{target.Name}" : null,
            };
        });

        return new EndpointSlice
        {
            Meta = Meta(slice.Metadata, ns, source),
            AddressType = slice.AddressType ?? "IPv4",
            Ports = new((slice.Ports ?? []).Select(p => new EndpointPort(p.Name, p.Port, ProtocolOf(p.Protocol), p.AppProtocol))),
            Endpoints = new(endpoints),
            UserProvided = true,
        };
    }

    public static IngressClass ConvertIngressClass(V1IngressClass ingressClass, SourceLocation source) =>
        new()
        {
            Meta = Meta(ingressClass.Metadata, null, source),
            Controller = ingressClass.Spec?.Controller,
            Parameters = ingressClass.Spec?.Parameters is { Kind: { } kind, Name: { } name } parameters
                ? new IngressClassParameters(parameters.ApiGroup, kind, name, parameters.Scope, parameters.NamespaceProperty)
                : null,
        };

    public static Secret ConvertSecret(V1Secret secret, string ns, SourceLocation source) => new()
    {
        Meta = Meta(secret.Metadata, ns, source),
        Type = secret.Type ?? "Opaque",
        Data = System.Collections.Immutable.ImmutableDictionary.CreateRange(StringComparer.Ordinal, SecretData(secret)),
    };

    /// <summary>The secret's bytes: <c>data</c>, then <c>stringData</c> over it (as the API server merges them on write).</summary>
    public static Dictionary<string, byte[]> SecretData(V1Secret secret)
    {
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in secret.Data ?? new Dictionary<string, byte[]>())
        {
            data[key] = value;
        }

        foreach (var (key, value) in secret.StringData ?? new Dictionary<string, string>())
        {
            data[key] = System.Text.Encoding.UTF8.GetBytes(value);
        }

        return data;
    }
}
