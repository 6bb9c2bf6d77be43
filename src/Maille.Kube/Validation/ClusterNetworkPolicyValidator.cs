using Maille.Engine.Validation;
using Maille.Kube.Policy;
using Maille.Model;

namespace Maille.Kube.Validation;

/// <summary>
/// A ClusterNetworkPolicy (v1alpha2) as its CRD validates it (the experimental channel, which adds nodes and domainNames
/// peers): tier and action enums, priority 0–1000, exactly one field in a subject, peer, protocol and port, at most 25
/// rules per direction and 25 peers, CIDRs and protocols per rule, ports in 1–65535, and the CEL rules (a range's start
/// below its end; no named port with networks, nodes or domainNames peers). domainNames peers pass the schema and are
/// then refused: Maille cannot enforce them yet (docs/cluster-network-policy.md).
/// </summary>
internal static class ClusterNetworkPolicyValidator
{
    private static readonly string[] Tiers = ["Admin", "Baseline"];
    private static readonly string[] Actions = ["Accept", "Deny", "Pass"];
    private const string DomainNamePattern = @"^(\*\.)?([a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$";
    private const string NamedPortRule = "networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames";

    public static void Validate(ClusterNetworkPolicyDocument document, SourceLocation source, List<Diagnostic> diagnostics)
    {
        var errors = ObjectMetaValidator.Validate(PolicyApi.ClusterNetworkPolicyKind, null, document.Metadata, NameRules.Dns1123Subdomain, source, diagnostics);
        if (document.Spec is not { } spec)
        {
            errors.Required("spec");
            return;
        }

        if (GatewaySchema.Required(errors, "spec.tier", spec.Tier))
        {
            GatewaySchema.Enum(errors, "spec.tier", spec.Tier, Tiers);
        }

        ValidatePriority(errors, spec.Priority);
        ValidateSubject(errors, spec.Subject);
        ValidateRules(errors, "spec.ingress", spec.Ingress, PolicyDirection.Ingress, Actions, ValidateProtocols);
        ValidateRules(errors, "spec.egress", spec.Egress, PolicyDirection.Egress, Actions, ValidateProtocols);
    }

    public static void ValidatePriority(FieldErrors errors, int? priority)
    {
        if (priority is null)
        {
            errors.Required("spec.priority");
            return;
        }

        GatewaySchema.Range(errors, "spec.priority", priority, 0, PolicyApi.MaxPriority);
    }

    public static void ValidateSubject(FieldErrors errors, PolicyPeerDocument? subject)
    {
        if (subject is null)
        {
            errors.Required("spec.subject");
            return;
        }

        if (subject.Nodes is not null || subject.Networks is not null || subject.DomainNames is not null)
        {
            errors.Forbidden("spec.subject", "a subject selects namespaces or pods only");
            return;
        }

        ExactlyOne(errors, "spec.subject", subject.FieldCount);
        ValidateSelectors(errors, "spec.subject", subject);
    }

    /// <summary>
    /// A direction's rules, either version: at most 25, a name of at most 100 characters, an action among
    /// <paramref name="actions"/>, the peers, the ports (<paramref name="validatePorts"/>: protocols or v1alpha1 ports), and
    /// the CEL rule against named ports with address peers.
    /// </summary>
    public static void ValidateRules(
        FieldErrors errors,
        string path,
        List<ClusterNetworkPolicyDocument.Rule?>? rules,
        PolicyDirection direction,
        IReadOnlyList<string> actions,
        Func<FieldErrors, string, ClusterNetworkPolicyDocument.Rule, bool> validatePorts)
    {
        GatewaySchema.MaxItems(errors, path, rules, PolicyApi.MaxRules);
        for (var i = 0; i < (rules?.Count ?? 0); i++)
        {
            var at = $"{path}[{i}]";
            var rule = rules![i] ?? new ClusterNetworkPolicyDocument.Rule();
            GatewaySchema.MaxLength(errors, $"{at}.name", rule.Name, 100);
            if (GatewaySchema.Required(errors, $"{at}.action", rule.Action))
            {
                GatewaySchema.Enum(errors, $"{at}.action", rule.Action, actions);
            }

            var peers = ValidatePeers(errors, at, rule.From, rule.To, direction);
            var namedPort = validatePorts(errors, at, rule);
            if (direction == PolicyDirection.Egress && HasAddressPeer(peers) && namedPort)
            {
                GatewaySchema.Rule(errors, at, "object", NamedPortRule);
            }
        }
    }

    /// <summary>
    /// The peers of a rule, <c>from</c> for ingress and <c>to</c> for egress: 1–25 entries, each exactly one field,
    /// ingress peers namespaces or pods only. Returns the peers that were written.
    /// </summary>
    private static List<PolicyPeerDocument?> ValidatePeers(FieldErrors errors, string at, List<PolicyPeerDocument?>? from, List<PolicyPeerDocument?>? to, PolicyDirection direction)
    {
        var (field, peers, other) = direction == PolicyDirection.Ingress ? ("from", from, "to") : ("to", to, "from");
        if ((direction == PolicyDirection.Ingress ? to : from) is not null)
        {
            errors.Forbidden($"{at}.{other}", $"unknown field: {(direction == PolicyDirection.Ingress ? "an ingress" : "an egress")} rule names its peers in {field}");
        }

        if (peers is null || peers.Count == 0)
        {
            if (peers is null)
            {
                errors.Required($"{at}.{field}");
            }
            else
            {
                errors.Invalid($"{at}.{field}", 0, $"{at}.{field} in body should have at least 1 items");
            }

            return [];
        }

        GatewaySchema.MaxItems(errors, $"{at}.{field}", peers, 25);
        for (var p = 0; p < peers.Count; p++)
        {
            var peerAt = $"{at}.{field}[{p}]";
            var peer = peers[p] ?? new PolicyPeerDocument();
            if (direction == PolicyDirection.Ingress && (peer.Nodes is not null || peer.Networks is not null || peer.DomainNames is not null))
            {
                errors.Forbidden(peerAt, "unknown field: ingress peers select namespaces or pods only (nodes, networks and domainNames are egress peers)");
                continue;
            }

            ExactlyOne(errors, peerAt, peer.FieldCount);
            ValidateSelectors(errors, peerAt, peer);
            LabelSelectorValidator.Validate(errors, peer.Nodes, $"{peerAt}.nodes");
            ValidateNetworks(errors, $"{peerAt}.networks", peer.Networks);
            ValidateDomainNames(errors, $"{peerAt}.domainNames", peer.DomainNames);
        }

        return peers;
    }

    private static bool HasAddressPeer(List<PolicyPeerDocument?> peers) =>
        peers.Any(p => p is not null && (p.Networks is not null || p.Nodes is not null || p.DomainNames is not null));

    private static void ValidateSelectors(FieldErrors errors, string at, PolicyPeerDocument peer)
    {
        LabelSelectorValidator.Validate(errors, peer.Namespaces, $"{at}.namespaces");
        if (peer.Pods is { } pods)
        {
            if (pods.PodSelector is null)
            {
                errors.Required($"{at}.pods.podSelector");
            }

            LabelSelectorValidator.Validate(errors, pods.NamespaceSelector, $"{at}.pods.namespaceSelector");
            LabelSelectorValidator.Validate(errors, pods.PodSelector, $"{at}.pods.podSelector");
        }
    }

    private static void ValidateNetworks(FieldErrors errors, string at, List<string?>? networks)
    {
        if (networks is null)
        {
            return;
        }

        MinItems(errors, at, networks.Count);
        GatewaySchema.MaxItems(errors, at, networks, 25);
        for (var i = 0; i < networks.Count; i++)
        {
            var text = networks[i] ?? "";
            GatewaySchema.MaxLength(errors, $"{at}[{i}]", text, 43);
            if (IpBlock.TryParse(text) is null)
            {
                errors.Invalid($"{at}[{i}]", text, "Invalid CIDR format provided");
            }
        }
    }

    private static void ValidateDomainNames(FieldErrors errors, string at, List<string?>? names)
    {
        if (names is null)
        {
            return;
        }

        MinItems(errors, at, names.Count);
        GatewaySchema.MaxItems(errors, at, names, 25);
        for (var i = 0; i < names.Count; i++)
        {
            GatewaySchema.Pattern(errors, $"{at}[{i}]", names[i] ?? "", DomainNamePattern);
        }

        // Valid as the CRD sees it, but Maille would have to allow the addresses its DNS server answered for these names,
        // and the lab's DNS server cannot feed the data plane yet: refused rather than silently matching nothing.
        errors.Forbidden(at, "domainNames peers are not supported by Maille yet (the lab's DNS server cannot feed the data plane the addresses it answers); use networks peers with the addresses instead");
    }

    /// <summary>A rule's <c>protocols</c>; true when one of them is a destinationNamedPort.</summary>
    private static bool ValidateProtocols(FieldErrors errors, string rule, ClusterNetworkPolicyDocument.Rule entries)
    {
        var at = $"{rule}.protocols";
        if (entries.Protocols is not { } protocols)
        {
            return false;
        }

        MinItems(errors, at, protocols.Count);
        GatewaySchema.MaxItems(errors, at, protocols, 25);
        for (var i = 0; i < protocols.Count; i++)
        {
            var entryAt = $"{at}[{i}]";
            var entry = protocols[i] ?? new ClusterNetworkPolicyDocument.Protocol();
            var count = (entry.Tcp is null ? 0 : 1) + (entry.Udp is null ? 0 : 1) + (entry.Sctp is null ? 0 : 1) + (entry.DestinationNamedPort is null ? 0 : 1);
            ExactlyOne(errors, entryAt, count);
            foreach (var (name, port) in new[] { ("tcp", entry.Tcp), ("udp", entry.Udp), ("sctp", entry.Sctp) })
            {
                if (port is null)
                {
                    continue;
                }

                if (port.DestinationPort is not { } destination)
                {
                    errors.Invalid($"{entryAt}.{name}", 0, $"{entryAt}.{name} in body should have at least 1 properties");
                    continue;
                }

                ValidatePort(errors, $"{entryAt}.{name}.destinationPort", destination);
            }

            if (entry.DestinationNamedPort is { } named)
            {
                foreach (var problem in NameRules.PortName(named))
                {
                    errors.Invalid($"{entryAt}.destinationNamedPort", named, problem);
                }
            }
        }

        return protocols.Any(p => p?.DestinationNamedPort is not null);
    }

    private static void ValidatePort(FieldErrors errors, string at, ClusterNetworkPolicyDocument.Port port)
    {
        ExactlyOne(errors, at, (port.Number is null ? 0 : 1) + (port.Range is null ? 0 : 1));
        GatewaySchema.Range(errors, $"{at}.number", port.Number, 1, 65535);
        if (port.Range is { } range)
        {
            ValidateRange(errors, $"{at}.range", range);
        }
    }

    /// <summary>A port range: start and end required, each in 1–65535, and (CEL) start below end.</summary>
    public static void ValidateRange(FieldErrors errors, string at, PortRangeDocument range)
    {
        if (range.Start is null)
        {
            errors.Required($"{at}.start");
        }

        if (range.End is null)
        {
            errors.Required($"{at}.end");
        }

        GatewaySchema.Range(errors, $"{at}.start", range.Start, 1, 65535);
        GatewaySchema.Range(errors, $"{at}.end", range.End, 1, 65535);
        if (range.Start is { } start && range.End is { } end && start >= end)
        {
            GatewaySchema.Rule(errors, at, "object", "Start port must be less than End port");
        }
    }

    /// <summary>minProperties 1 and maxProperties 1, in the API server's words.</summary>
    public static void ExactlyOne(FieldErrors errors, string at, int count)
    {
        if (count == 0)
        {
            errors.Invalid(at, 0, $"{at} in body should have at least 1 properties");
        }
        else if (count > 1)
        {
            errors.TooMany(at, count, 1);
        }
    }

    private static void MinItems(FieldErrors errors, string at, int count)
    {
        if (count == 0)
        {
            errors.Invalid(at, 0, $"{at} in body should have at least 1 items");
        }
    }
}
