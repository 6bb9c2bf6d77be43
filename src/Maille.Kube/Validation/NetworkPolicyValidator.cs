using k8s.Models;
using Maille.Engine.Validation;
using Maille.Model;

namespace Maille.Kube.Validation;

/// <summary>ValidateNetworkPolicySpec, in its order: the pod selector, each rule (ports, then peers), policyTypes last.</summary>
internal static class NetworkPolicyValidator
{
    // NetworkPolicy validation lists these in its own order, not sorted.
    private static readonly string[] PolicyTypes = ["Ingress", "Egress"];
    private static readonly string[] NetworkPolicyProtocols = ["TCP", "UDP", "SCTP"];

    public static void Validate(V1NetworkPolicy policy, string ns, SourceLocation source, List<Diagnostic> diagnostics)
    {
        var errors = ObjectMetaValidator.Validate("NetworkPolicy", ns, policy.Metadata, NameRules.Dns1123Subdomain, source, diagnostics);
        var spec = policy.Spec ?? new V1NetworkPolicySpec();
        LabelSelectorValidator.Validate(errors, spec.PodSelector, "spec.podSelector");
        for (var i = 0; i < (spec.Ingress?.Count ?? 0); i++)
        {
            ValidateRule(errors, spec.Ingress![i]?.FromProperty, spec.Ingress[i]?.Ports, $"spec.ingress[{i}]", "from");
        }

        for (var i = 0; i < (spec.Egress?.Count ?? 0); i++)
        {
            ValidateRule(errors, spec.Egress![i]?.To, spec.Egress[i]?.Ports, $"spec.egress[{i}]", "to");
        }

        if (spec.PolicyTypes is not { } types)
        {
            return;
        }

        if (types.Count > 2)
        {
            var shown = new GoLiteral("[]networking.PolicyType{" + string.Join(", ", types.Select(t => Diagnostic.Quote(t ?? ""))) + "}");
            errors.Invalid("spec.policyTypes", shown, "may not specify more than two policyTypes");
            return;
        }

        for (var i = 0; i < types.Count; i++)
        {
            if (types[i] is not ("Ingress" or "Egress"))
            {
                errors.NotSupported($"spec.policyTypes[{i}]", types[i], PolicyTypes);
            }
        }
    }

    private static void ValidateRule(FieldErrors errors, IList<V1NetworkPolicyPeer>? peers, IList<V1NetworkPolicyPort>? ports, string path, string peersField)
    {
        for (var i = 0; i < (ports?.Count ?? 0); i++)
        {
            ValidatePort(errors, ports![i] ?? new V1NetworkPolicyPort(), $"{path}.ports[{i}]");
        }

        for (var i = 0; i < (peers?.Count ?? 0); i++)
        {
            var peer = peers![i] ?? new V1NetworkPolicyPeer();
            var at = $"{path}.{peersField}[{i}]";
            LabelSelectorValidator.Validate(errors, peer.PodSelector, $"{at}.podSelector");
            LabelSelectorValidator.Validate(errors, peer.NamespaceSelector, $"{at}.namespaceSelector");
            if (peer.IpBlock is not null)
            {
                ValidateIpBlock(errors, peer.IpBlock, $"{at}.ipBlock");
            }

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
    }

    /// <summary>
    /// ValidateNetworkPolicyPort: protocol, port, and endPort only after a numeric port, in its wording, including its
    /// habit of showing `port` (not endPort) when endPort is too small.
    /// </summary>
    private static void ValidatePort(FieldErrors errors, V1NetworkPolicyPort port, string at)
    {
        PortFieldValidator.ValidateProtocol(errors, port.Protocol, $"{at}.protocol", NetworkPolicyProtocols);
        PortFieldValidator.ValidateReference(errors, port.Port, $"{at}.port");
        if (port.EndPort is not { } end)
        {
            return;
        }

        var number = ModelConverter.PortRefOf(port.Port);
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

            PortFieldValidator.ValidateNumber(errors, end, $"{at}.endPort");
        }
    }

    /// <summary>ValidateIPBlock: a CIDR, and only once it is sound, each except entry a strict subset of it.</summary>
    private static void ValidateIpBlock(FieldErrors errors, V1IPBlock block, string path)
    {
        var cidr = block.Cidr ?? "";
        var except = block.Except ?? [];
        if (cidr.Length == 0)
        {
            errors.Required($"{path}.cidr");
            return;
        }

        if (IpBlock.TryParse(cidr) is not { } network)
        {
            errors.Invalid($"{path}.cidr", cidr, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
            return;
        }

        for (var i = 0; i < except.Count; i++)
        {
            var entry = IpBlock.TryParse(except[i] ?? "");
            if (entry is null)
            {
                errors.Invalid($"{path}.except[{i}]", except[i], "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
            }
            else if (!IpMath.IsSubsetOf(entry.Value, network) || entry.Value.PrefixLength <= network.PrefixLength)
            {
                errors.Invalid($"{path}.except[{i}]", except[i], "must be a strict subset of `cidr`");
            }
        }
    }
}
