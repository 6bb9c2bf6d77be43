using k8s.Models;
using YamlDotNet.Serialization;

namespace Maille.Kube.Policy;

/// <summary>
/// The on-disk shape of a ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2), and of the v1alpha1 kinds it
/// replaced, AdminNetworkPolicy and BaselineAdminNetworkPolicy, which differ only in having no tier (and the Baseline
/// one no priority) and in their rules' <c>ports</c> where v1alpha2 has <c>protocols</c>. Which fields a version allows
/// is its validator's business.
/// </summary>
internal sealed class ClusterNetworkPolicyDocument
{
    [YamlMember(Alias = "metadata")]
    public V1ObjectMeta? Metadata { get; set; }

    [YamlMember(Alias = "spec")]
    public PolicySpec? Spec { get; set; }

    internal sealed class PolicySpec
    {
        [YamlMember(Alias = "tier")]
        public string? Tier { get; set; }

        [YamlMember(Alias = "priority")]
        public int? Priority { get; set; }

        [YamlMember(Alias = "subject")]
        public PolicyPeerDocument? Subject { get; set; }

        [YamlMember(Alias = "ingress")]
        public List<Rule?>? Ingress { get; set; }

        [YamlMember(Alias = "egress")]
        public List<Rule?>? Egress { get; set; }
    }

    /// <summary>An ingress rule (<c>from</c>) or an egress rule (<c>to</c>): one class, the validator keeps them apart.</summary>
    internal sealed class Rule
    {
        [YamlMember(Alias = "name")]
        public string? Name { get; set; }

        [YamlMember(Alias = "action")]
        public string? Action { get; set; }

        [YamlMember(Alias = "from")]
        public List<PolicyPeerDocument?>? From { get; set; }

        [YamlMember(Alias = "to")]
        public List<PolicyPeerDocument?>? To { get; set; }

        [YamlMember(Alias = "protocols")]
        public List<Protocol?>? Protocols { get; set; }

        /// <summary>v1alpha1's form of <see cref="Protocols"/>.</summary>
        [YamlMember(Alias = "ports")]
        public List<AdminPort?>? Ports { get; set; }
    }

    internal sealed class Protocol
    {
        [YamlMember(Alias = "tcp")]
        public ProtocolPort? Tcp { get; set; }

        [YamlMember(Alias = "udp")]
        public ProtocolPort? Udp { get; set; }

        [YamlMember(Alias = "sctp")]
        public ProtocolPort? Sctp { get; set; }

        [YamlMember(Alias = "destinationNamedPort")]
        public string? DestinationNamedPort { get; set; }
    }

    internal sealed class ProtocolPort
    {
        [YamlMember(Alias = "destinationPort")]
        public Port? DestinationPort { get; set; }
    }

    internal sealed class Port
    {
        [YamlMember(Alias = "number")]
        public int? Number { get; set; }

        [YamlMember(Alias = "range")]
        public PortRangeDocument? Range { get; set; }
    }

    /// <summary>A v1alpha1 <c>ports</c> entry: exactly one of portNumber, namedPort and portRange.</summary>
    internal sealed class AdminPort
    {
        [YamlMember(Alias = "portNumber")]
        public AdminPortNumber? PortNumber { get; set; }

        [YamlMember(Alias = "namedPort")]
        public string? NamedPort { get; set; }

        [YamlMember(Alias = "portRange")]
        public PortRangeDocument? PortRange { get; set; }
    }

    internal sealed class AdminPortNumber
    {
        [YamlMember(Alias = "protocol")]
        public string? Protocol { get; set; }

        [YamlMember(Alias = "port")]
        public int? Port { get; set; }
    }
}
