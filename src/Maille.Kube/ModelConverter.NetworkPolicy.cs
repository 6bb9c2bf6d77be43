using k8s.Models;
using Maille.Engine.Validation;
using Maille.Model;

namespace Maille.Kube;

internal sealed partial class ModelConverter
{
    // NetworkPolicy validation lists these in its own order, not sorted.
    private static readonly string[] PolicyTypes = ["Ingress", "Egress"];
    private static readonly string[] NetworkPolicyProtocols = ["TCP", "UDP", "SCTP"];

    public NetworkPolicy ConvertNetworkPolicy(V1NetworkPolicy policy, string ns, SourceLocation source)
    {
        var errors = Errors("NetworkPolicy", ns, policy.Metadata?.Name ?? "", source);
        CheckMeta(errors, policy.Metadata, NameRules.Dns1123Subdomain);
        var spec = policy.Spec ?? new V1NetworkPolicySpec();
        var podSelector = Selector(errors, spec.PodSelector, "spec.podSelector") ?? LabelSelector.Everything;

        // Same order as ValidateNetworkPolicySpec: rules first (ports, then peers), policyTypes last.
        var ingress = (spec.Ingress ?? []).Select((rule, i) =>
            ConvertRule(errors, rule?.FromProperty, rule?.Ports, $"spec.ingress[{i}]", "from")).ToList();
        var egress = (spec.Egress ?? []).Select((rule, i) =>
            ConvertRule(errors, rule?.To, rule?.Ports, $"spec.egress[{i}]", "to")).ToList();

        PolicyDirection? declared = null;
        if (spec.PolicyTypes is { } types)
        {
            declared = PolicyDirection.None;
            if (types.Count > 2)
            {
                var shown = new GoLiteral("[]networking.PolicyType{" + string.Join(", ", types.Select(t => Diagnostic.Quote(t ?? ""))) + "}");
                errors.Invalid("spec.policyTypes", shown, "may not specify more than two policyTypes");
            }
            else
            {
                for (var i = 0; i < types.Count; i++)
                {
                    declared |= types[i] switch
                    {
                        "Ingress" => PolicyDirection.Ingress,
                        "Egress" => PolicyDirection.Egress,
                        _ => Unsupported(errors, $"spec.policyTypes[{i}]", types[i], PolicyTypes, PolicyDirection.None),
                    };
                }
            }
        }

        return new NetworkPolicy
        {
            Meta = Meta(policy.Metadata, ns, source),
            PodSelector = podSelector,
            DeclaredPolicyTypes = declared,
            Ingress = new(ingress),
            Egress = new(egress),
        };
    }

    private static NetworkPolicyRule ConvertRule(FieldErrors errors, IList<V1NetworkPolicyPeer>? peers, IList<V1NetworkPolicyPort>? ports, string path, string peersField)
    {
        var modelPorts = new List<NetworkPolicyPort>();
        for (var i = 0; i < (ports?.Count ?? 0); i++)
        {
            var port = ports![i] ?? new V1NetworkPolicyPort();
            var at = $"{path}.ports[{i}]";
            var protocol = ProtocolOf(errors, port.Protocol, $"{at}.protocol", NetworkPolicyProtocols);
            var number = PortRefOf(errors, port.Port, $"{at}.port");
            if (port.EndPort is { } end)
            {
                // ValidateNetworkPolicyPort's wording, including its habit of showing `port` (not endPort) when
                // endPort is too small.
                if (number is null)
                {
                    errors.Invalid($"{at}.endPort", end, "may not be specified when `port` is not specified");
                }
                else if (number.Value.IsNamed)
                {
                    errors.Invalid($"{at}.endPort", end, "may not be specified when `port` is non-numeric");
                }
                else
                {
                    if (end < number.Value.Number)
                    {
                        errors.Invalid($"{at}.endPort", number.Value.Number!.Value, "must be greater than or equal to `port`");
                    }

                    CheckPortNumber(errors, end, $"{at}.endPort");
                }
            }

            modelPorts.Add(new NetworkPolicyPort(protocol, number, port.EndPort));
        }

        var modelPeers = new List<NetworkPolicyPeer>();
        for (var i = 0; i < (peers?.Count ?? 0); i++)
        {
            var peer = peers![i] ?? new V1NetworkPolicyPeer();
            var at = $"{path}.{peersField}[{i}]";
            modelPeers.Add(new NetworkPolicyPeer
            {
                PodSelector = Selector(errors, peer.PodSelector, $"{at}.podSelector"),
                NamespaceSelector = Selector(errors, peer.NamespaceSelector, $"{at}.namespaceSelector"),
                IpBlock = peer.IpBlock is null ? null : ConvertIpBlock(errors, peer.IpBlock, $"{at}.ipBlock"),
            });

            var count = (peer.PodSelector is null ? 0 : 1) + (peer.NamespaceSelector is null ? 0 : 1) + (peer.IpBlock is null ? 0 : 1);
            if (count == 0)
            {
                errors.Required(at, "must specify a peer");
            }
            else if (count > 1 && peer.IpBlock is not null)
            {
                errors.Forbidden(at, "may not specify both ipBlock and another peer");
            }
        }

        return new NetworkPolicyRule { Peers = new(modelPeers), Ports = new(modelPorts) };
    }

    private static IpBlock ConvertIpBlock(FieldErrors errors, V1IPBlock block, string path)
    {
        var cidr = block.Cidr ?? "";
        var except = block.Except ?? [];
        System.Net.IPNetwork? network = null;
        if (cidr.Length == 0)
        {
            errors.Required($"{path}.cidr");
        }
        else
        {
            network = IpBlock.TryParse(cidr);
            if (network is null)
            {
                errors.Invalid($"{path}.cidr", cidr, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
            }
        }

        // Like ValidateIPBlock, the except list is only looked at once cidr itself is sound.
        for (var i = 0; network is not null && i < except.Count; i++)
        {
            var entry = IpBlock.TryParse(except[i] ?? "");
            if (entry is null)
            {
                errors.Invalid($"{path}.except[{i}]", except[i], "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
            }
            else if (network is { } outer && (!IpMath.IsSubsetOf(entry.Value, outer) || entry.Value.PrefixLength <= outer.PrefixLength))
            {
                errors.Invalid($"{path}.except[{i}]", except[i], "must be a strict subset of `cidr`");
            }
        }

        return new IpBlock(cidr, new(except));
    }
}
