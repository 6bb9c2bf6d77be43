using Maille.Kube.Policy;
using Maille.Model;

namespace Maille.Kube;

/// <summary>ClusterNetworkPolicy (v1alpha2) and the v1alpha1 AdminNetworkPolicy and BaselineAdminNetworkPolicy, onto one model.</summary>
internal static partial class ModelConverter
{
    public static ClusterNetworkPolicy ConvertClusterNetworkPolicy(ClusterNetworkPolicyDocument document, SourceLocation source)
    {
        var spec = document.Spec ?? new ClusterNetworkPolicyDocument.PolicySpec();
        return new ClusterNetworkPolicy
        {
            Meta = Meta(document.Metadata, null, source),
            Tier = spec.Tier == "Baseline" ? ClusterPolicyTier.Baseline : ClusterPolicyTier.Admin,
            Priority = spec.Priority ?? 0,
            Subject = SubjectOf(spec.Subject),
            Ingress = new((spec.Ingress ?? []).Select(r => RuleOf(r, PolicyDirection.Ingress))),
            Egress = new((spec.Egress ?? []).Select(r => RuleOf(r, PolicyDirection.Egress))),
        };
    }

    /// <summary>A v1alpha1 policy: an AdminNetworkPolicy in the Admin tier at its priority, the BaselineAdminNetworkPolicy in the Baseline tier at 0.</summary>
    public static ClusterNetworkPolicy ConvertAdminNetworkPolicy(ClusterNetworkPolicyDocument document, string kind, SourceLocation source)
    {
        var spec = document.Spec ?? new ClusterNetworkPolicyDocument.PolicySpec();
        var baseline = kind == PolicyApi.BaselineAdminNetworkPolicyKind;
        return new ClusterNetworkPolicy
        {
            Meta = Meta(document.Metadata, null, source),
            Tier = baseline ? ClusterPolicyTier.Baseline : ClusterPolicyTier.Admin,
            Priority = baseline ? 0 : spec.Priority ?? 0,
            Subject = SubjectOf(spec.Subject),
            Ingress = new((spec.Ingress ?? []).Select(r => RuleOf(r, PolicyDirection.Ingress))),
            Egress = new((spec.Egress ?? []).Select(r => RuleOf(r, PolicyDirection.Egress))),
            SourceKind = kind,
        };
    }

    private static ClusterPolicySubject SubjectOf(PolicyPeerDocument? subject) => new()
    {
        Namespaces = Selector(subject?.Namespaces),
        Pods = NamespacedPods(subject?.Pods),
    };

    private static ClusterPolicyRule RuleOf(ClusterNetworkPolicyDocument.Rule? rule, PolicyDirection direction) => new()
    {
        Name = string.IsNullOrEmpty(rule?.Name) ? null : rule.Name,
        Action = ActionOf(rule?.Action),
        Peers = Peers(direction == PolicyDirection.Ingress ? rule?.From : rule?.To),

        // v1alpha2 writes protocols, v1alpha1 ports; a document of either version has only its own.
        Ports = new((rule?.Protocols ?? []).OfType<ClusterNetworkPolicyDocument.Protocol>().Select(ClusterPort)
            .Concat((rule?.Ports ?? []).OfType<ClusterNetworkPolicyDocument.AdminPort>().Select(AdminPort))
            .OfType<ClusterPolicyPort>()),
    };

    /// <summary>Allow is v1alpha1's Accept; an unknown action (refused by validation) is read as Deny, failing closed.</summary>
    private static ClusterPolicyAction ActionOf(string? action) => action switch
    {
        "Accept" or "Allow" => ClusterPolicyAction.Accept,
        "Pass" => ClusterPolicyAction.Pass,
        _ => ClusterPolicyAction.Deny,
    };

    private static EquatableArray<ClusterPolicyPeer> Peers(List<PolicyPeerDocument?>? peers) =>
        new((peers ?? []).Select(peer => new ClusterPolicyPeer
        {
            Namespaces = Selector(peer?.Namespaces),
            Pods = NamespacedPods(peer?.Pods),
            Nodes = Selector(peer?.Nodes),
            Networks = new((peer?.Networks ?? []).Select(n => new IpBlock(n ?? "", EquatableArray<string>.Empty))),
            DomainNames = new((peer?.DomainNames ?? []).Select(n => n ?? "")),
        }));

    private static NamespacedPodSelector? NamespacedPods(PolicyPeerDocument.NamespacedPodDocument? pods) => pods is null
        ? null
        : new NamespacedPodSelector(Selector(pods.NamespaceSelector) ?? LabelSelector.Everything, Selector(pods.PodSelector) ?? LabelSelector.Everything);

    private static ClusterPolicyPort? ClusterPort(ClusterNetworkPolicyDocument.Protocol entry)
    {
        if (entry.DestinationNamedPort is { } name)
        {
            return ClusterPolicyPort.Named(name);
        }

        var (protocol, port) = entry.Tcp is not null ? (Protocol.TCP, entry.Tcp)
            : entry.Udp is not null ? (Protocol.UDP, entry.Udp)
            : (Protocol.SCTP, entry.Sctp);
        return port?.DestinationPort switch
        {
            { Number: { } number } => ClusterPolicyPort.Number(protocol, number),
            { Range: { Start: { } start, End: { } end } } => ClusterPolicyPort.Range(protocol, start, end),
            _ => null,
        };
    }

    private static ClusterPolicyPort? AdminPort(ClusterNetworkPolicyDocument.AdminPort entry) => entry switch
    {
        { NamedPort: { } name } => ClusterPolicyPort.Named(name),
        { PortNumber: { Port: { } number } portNumber } => ClusterPolicyPort.Number(ProtocolOf(portNumber.Protocol), number),
        { PortRange: { Start: { } start, End: { } end } range } => ClusterPolicyPort.Range(ProtocolOf(range.Protocol), start, end),
        _ => null,
    };
}
