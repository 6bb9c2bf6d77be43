using k8s.Models;
using Maille.Model;

namespace Maille.Kube;

internal static partial class ModelConverter
{
    public static NetworkPolicy ConvertNetworkPolicy(V1NetworkPolicy policy, string ns, SourceLocation source)
    {
        var spec = policy.Spec ?? new V1NetworkPolicySpec();
        return new NetworkPolicy
        {
            Meta = Meta(policy.Metadata, ns, source),
            PodSelector = Selector(spec.PodSelector) ?? LabelSelector.Everything,
            DeclaredPolicyTypes = DeclaredPolicyTypes(spec.PolicyTypes),
            Ingress = new((spec.Ingress ?? []).Select(rule => ConvertRule(rule?.FromProperty, rule?.Ports))),
            Egress = new((spec.Egress ?? []).Select(rule => ConvertRule(rule?.To, rule?.Ports))),
        };
    }

    /// <summary>
    /// The directions <c>policyTypes</c> names, or null when it is absent (the evaluator then infers them). More than
    /// two entries, which the validator refuses, declare none.
    /// </summary>
    private static PolicyDirection? DeclaredPolicyTypes(IList<string>? types)
    {
        if (types is null)
        {
            return null;
        }

        var declared = PolicyDirection.None;
        if (types.Count > 2)
        {
            return declared;
        }

        foreach (var type in types)
        {
            declared |= type switch
            {
                "Ingress" => PolicyDirection.Ingress,
                "Egress" => PolicyDirection.Egress,
                _ => PolicyDirection.None,
            };
        }

        return declared;
    }

    private static NetworkPolicyRule ConvertRule(IList<V1NetworkPolicyPeer>? peers, IList<V1NetworkPolicyPort>? ports) => new()
    {
        Peers = new((peers ?? []).Select(peer => peer ?? new V1NetworkPolicyPeer()).Select(peer => new NetworkPolicyPeer
        {
            PodSelector = Selector(peer.PodSelector),
            NamespaceSelector = Selector(peer.NamespaceSelector),
            IpBlock = peer.IpBlock is null ? null : new IpBlock(peer.IpBlock.Cidr ?? "", new(peer.IpBlock.Except ?? [])),
        })),
        Ports = new((ports ?? []).Select(port => port ?? new V1NetworkPolicyPort())
            .Select(port => new NetworkPolicyPort(ProtocolOf(port.Protocol), PortRefOf(port.Port), port.EndPort))),
    };
}
